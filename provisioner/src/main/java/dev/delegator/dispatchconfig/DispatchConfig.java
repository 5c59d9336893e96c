package dev.delegator.dispatchconfig;

import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Resource;
import dev.delegator.manifest.Sandbox;
import dev.delegator.manifest.Verb;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a delegation's dispatcher config ({@code /etc/delegator/dispatch/<name>.conf}) in the
 * fixed format of docs/interfaces.md, which the POSIX-sh dispatcher reads with {@code read -r}.
 * The output is deterministic (verbs and settings in name order) so that an unchanged manifest
 * renders byte-identical files and apply can tell "no change".
 */
public final class DispatchConfig {
    /** The format version written as the first directive. */
    public static final int FORMAT = 1;

    private DispatchConfig() {}

    /**
     * The config text for {@code d}.
     *
     * @param manifestPath named in the header comment, for the admin who finds the file
     * @throws IllegalArgumentException if a value holds a control character (the loader refuses those;
     *     checked again because a newline here would add a directive)
     */
    public static String render(Delegation d, String manifestPath) {
        StringBuilder out = new StringBuilder();
        out.append("# written by delegator apply from ").append(clean(manifestPath)).append("; do not edit\n");
        out.append("format ").append(FORMAT).append('\n');
        out.append("delegation ").append(d.name()).append('\n');
        for (Verb v : d.verbs().values()) {
            out.append("verb ").append(v.name()).append(' ').append(clean(v.run().toString())).append('\n');
            for (String arg : v.args()) {
                out.append("arg ").append(v.name()).append(' ').append(clean(arg)).append('\n');
            }
            for (String cap : v.capabilities()) {
                out.append("cap ").append(v.name()).append(' ').append(cap).append('\n');
            }
        }
        Sandbox s = d.sandbox();
        out.append("sandbox network ").append(s.network().name().toLowerCase(java.util.Locale.ROOT)).append('\n');
        out.append("sandbox timeout ").append(s.timeout().toSeconds()).append('\n');
        s.processes().ifPresent(n -> out.append("sandbox processes ").append(n).append('\n'));
        s.memory().ifPresent(n -> out.append("sandbox memory ").append(n).append('\n'));
        s.filesize().ifPresent(n -> out.append("sandbox filesize ").append(n).append('\n'));
        if (s.filesystem() == Sandbox.Filesystem.JAIL) {
            out.append("sandbox filesystem jail\n");
            for (Map.Entry<Path, Boolean> b : jailBinds(d).entrySet()) {
                out.append("bind ").append(b.getValue() ? "ro " : "rw ").append(clean(b.getKey().toString())).append('\n');
            }
        }
        for (Map.Entry<String, String> e : d.settings().entrySet()) {
            out.append("env ").append(Delegation.settingVariable(e.getKey())).append(' ').append(clean(e.getValue())).append('\n');
        }
        return out.toString();
    }

    /**
     * What a jail shows besides the system and the home: every resource (read-only where declared)
     * and {@code settings.source} read-only when it is a path, so a deploy can pull from it. Sorted
     * by path, so a resource inside another is mounted after it (bubblewrap mounts in order; the
     * later mount wins). A resource that is also the source stays as the resource declares it.
     */
    static TreeMap<Path, Boolean> jailBinds(Delegation d) {
        TreeMap<Path, Boolean> binds = new TreeMap<>();
        String source = d.settings().get("source");
        if (source != null && source.startsWith("/")) {
            binds.put(Path.of(source).normalize(), true);
        }
        for (Resource r : d.resources()) {
            binds.put(r.path(), r.readOnly());
        }
        return binds;
    }

    private static String clean(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("dispatcher config value (" + value.replaceAll("\\p{Cntrl}", "?")
                        + ") holds a control character at offset " + i);
            }
        }
        return value;
    }
}
