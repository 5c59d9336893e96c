package dev.delegator.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dispatcher and deploy scripts this build ships (resources {@code dev/delegator/scripts/...}
 * of the deploy-scripts jar), and their version ({@code # delegator-dispatch-version: N} in the
 * dispatcher).
 */
public record ScriptSource(List<Script> scripts, String version) {
    /** The resource directory of the scripts on the classpath. */
    public static final String RESOURCE_ROOT = "dev/delegator/scripts/";
    /** The scripts the deploy-scripts module ships. */
    public static final List<String> BUNDLED = List.of("dispatch", "deploy/hg-deploy", "deploy/git-deploy", "deploy/publish", "deploy/rollback");
    private static final Pattern VERSION = Pattern.compile("(?m)^# delegator-dispatch-version: *([0-9A-Za-z.]+)\\s*$");

    public ScriptSource {
        scripts = List.copyOf(scripts);
    }

    /** The scripts bundled on the classpath; a missing one is a packaging bug. */
    public static ScriptSource bundled() {
        List<Script> out = new ArrayList<>();
        for (String rel : BUNDLED) {
            try (InputStream in = ScriptSource.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + rel)) {
                if (in == null) {
                    throw new IllegalStateException("the build does not bundle " + RESOURCE_ROOT + rel);
                }
                out.add(new Script(rel, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ScriptSource(out, versionOf(out));
    }

    /** The {@code delegator-dispatch-version} of the dispatcher among {@code scripts}, "unknown" if none. */
    public static String versionOf(List<Script> scripts) {
        for (Script s : scripts) {
            if (s.relativePath().equals("dispatch")) {
                return versionOf(s.content());
            }
        }
        return "unknown";
    }

    /** The version line's value in a dispatcher file's content, "unknown" if it has none. */
    public static String versionOf(byte[] dispatcher) {
        Matcher m = VERSION.matcher(new String(dispatcher, java.nio.charset.StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "unknown";
    }
}
