package dev.delegator.demo;

import dev.delegator.layout.Layout;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The names and places of one demo run. Every run gets a random id so runs side by side (a
 * parallel test, a kept demo next to a new one) never share an account or a directory: the run
 * directory is {@code <base>/<id>} and doubles as the layout root of the delegation.
 *
 * @param id six hex digits
 * @param base the demo's base directory, {@code /var/lib/delegator-demo} by default (root 0755, outside
 *     /tmp because sshd's StrictModes refuses a sticky world-writable parent)
 * @param delegation the demo delegation's name
 */
public record DemoRun(String id, Path base, String delegation) {
    /** Where demo runs live unless told otherwise. */
    public static final Path DEFAULT_BASE = Path.of("/var/lib/delegator-demo");

    public DemoRun {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(base, "base");
        if (!id.matches("[0-9a-f]{6}")) {
            throw new IllegalArgumentException("demo run id (" + id + ") must be six hex digits");
        }
        if (!base.isAbsolute()) {
            throw new IllegalArgumentException("demo directory (" + base + ") must be absolute");
        }
    }

    /** A new run with a random id. */
    public static DemoRun random(Path base) {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return new DemoRun(HexFormat.of().formatHex(b), base, "blog");
    }

    /** {@code <base>/<id>}: everything of this run is below it. */
    public Path dir() {
        return base.resolve(id);
    }

    /** The delegator layout rooted at the run directory. */
    public Layout layout() {
        return Layout.under(dir());
    }

    /** The caller account: it owns the repository and runs the hook. */
    public String caller() {
        return "dlg-demo-hg-" + id;
    }

    /** The delegate account: the deploy runs as it. */
    public String delegate() {
        return "dlg-blog-" + id;
    }

    public Path homes() {
        return dir().resolve("home");
    }

    public Path callerHome() {
        return homes().resolve(caller());
    }

    public Path delegateHome() {
        return homes().resolve(delegate());
    }

    /** Where the delegate's deploy publishes the site. */
    public Path delegateWebDir() {
        return delegateHome().resolve("www");
    }

    /** The caller's repository, served by {@code hg serve} and pulled by the delegate. */
    public Path repository() {
        return dir().resolve("srv/hg/" + delegation);
    }

    /** The pusher's clone. */
    public Path clone() {
        return dir().resolve("push/" + delegation);
    }

    /** The private sshd's directory (config, host key, log, the drop-in dir). */
    public Path sshdDir() {
        return dir().resolve("sshd");
    }

    /** The CLI jar copied where the caller can read it. */
    public Path jar() {
        return dir().resolve("lib/delegator.jar");
    }

    /** The launcher the hook runs. */
    public Path launcher() {
        return dir().resolve("bin/delegator");
    }

    public Path logs() {
        return dir().resolve("log");
    }
}
