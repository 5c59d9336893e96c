package dev.delegator.install;

import dev.delegator.scripts.BundledScript;
import dev.delegator.scripts.BundledScripts;
import java.util.List;

/**
 * The dispatcher and deploy scripts apply installs under {@code /usr/lib/delegator}, and the
 * dispatcher's version. {@link #bundled()} takes them from the deploy-scripts jar
 * ({@link BundledScripts}); tests may pass others.
 */
public record ScriptSource(List<Script> scripts, String version) {
    public ScriptSource {
        scripts = List.copyOf(scripts);
    }

    /** The scripts this build ships; a missing one is a packaging bug ({@link IllegalStateException}). */
    public static ScriptSource bundled() {
        List<Script> out = BundledScripts.all().stream().map(s -> new Script(s.installPath(), s.content())).toList();
        return new ScriptSource(out, Integer.toString(BundledScripts.dispatcher().version()));
    }

    /** The {@code delegator-…-version} line's value in an installed file's content, "unknown" if it has none. */
    public static String versionOf(byte[] installed) {
        var v = BundledScripts.versionOf(installed);
        return v.isPresent() ? Integer.toString(v.getAsInt()) : "unknown";
    }

    /** Install mode of every script: root 0755. */
    public static final int MODE = BundledScript.MODE;
}
