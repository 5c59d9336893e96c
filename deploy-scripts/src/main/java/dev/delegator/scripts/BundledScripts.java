package dev.delegator.scripts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The delegate-side scripts this jar ships as classpath resources under
 * {@value #RESOURCE_ROOT}, so an installer ({@code delegator apply}) can put them in place
 * without guessing names: the dispatcher ({@code /usr/lib/delegator/dispatch}) and the deploy
 * scripts ({@code /usr/lib/delegator/deploy/*}).
 *
 * <p>Each script carries a line {@code # delegator-dispatch-version: N} (the dispatcher) or
 * {@code # delegator-deploy-version: N} (deploy scripts); {@link #versionOf(byte[])} reads it from
 * an installed file so a stale install can be reported with both versions.
 */
public final class BundledScripts {

    /** Where the scripts live on the classpath; their install paths are relative to it. */
    public static final String RESOURCE_ROOT = "dev/delegator/scripts/";

    /** The default install root on a host. */
    public static final String DEFAULT_INSTALL_ROOT = "/usr/lib/delegator";

    /** Install path of the forced-command dispatcher. */
    public static final String DISPATCHER = "dispatch";

    /** Every bundled script, by install path (relative to the install root). */
    public static final List<String> INSTALL_PATHS = List.of(
            DISPATCHER,
            "deploy/hg-deploy",
            "deploy/git-deploy",
            "deploy/publish",
            "deploy/rollback");

    private static final Pattern VERSION_LINE =
            Pattern.compile("^# delegator-(?:dispatch|deploy)-version: ([1-9][0-9]{0,8})$", Pattern.MULTILINE);
    /** The version line must sit in the script's header, not somewhere a later edit might move it. */
    private static final int HEADER_BYTES = 512;

    private BundledScripts() {}

    /**
     * Loads every bundled script.
     *
     * @throws IllegalStateException if a resource is missing or has no version line: the jar is broken
     */
    public static List<BundledScript> all() {
        List<BundledScript> scripts = new ArrayList<>();
        for (String path : INSTALL_PATHS) {
            scripts.add(load(path));
        }
        return List.copyOf(scripts);
    }

    /** The dispatcher alone (see {@link #all()} for the failure modes). */
    public static BundledScript dispatcher() {
        return load(DISPATCHER);
    }

    /**
     * The version from a {@code # delegator-…-version: N} line in the first {@value #HEADER_BYTES}
     * bytes of a script, or empty when there is none (an install older than versioning, or not ours).
     */
    public static OptionalInt versionOf(byte[] script) {
        int length = Math.min(script.length, HEADER_BYTES);
        String header = new String(script, 0, length, StandardCharsets.ISO_8859_1);
        Matcher m = VERSION_LINE.matcher(header);
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private static BundledScript load(String path) {
        String resource = RESOURCE_ROOT + path;
        byte[] content;
        try (InputStream in = BundledScripts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled script " + resource + " is missing from the classpath");
            }
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read bundled script " + resource, e);
        }
        int version = versionOf(content).orElseThrow(() ->
                new IllegalStateException("bundled script " + resource + " has no '# delegator-…-version: N' line"));
        return new BundledScript(path, content, version);
    }
}
