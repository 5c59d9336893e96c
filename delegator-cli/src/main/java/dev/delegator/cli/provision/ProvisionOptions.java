package dev.delegator.cli.provision;

import dev.delegator.accounts.Accounts;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.install.ScriptSource;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.manifest.ManifestProblem;
import dev.delegator.plan.Target;
import dev.delegator.plan.ThisHost;
import dev.delegator.sshdconfig.SshdPaths;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** Options every provisioning command shares: which manifest, which layout, which sshd, which host. */
public final class ProvisionOptions {
    @Option(names = "--manifest", paramLabel = "FILE", description = "The manifest (default: /etc/delegator/delegations.yaml, below --root if given).")
    Path manifest;

    @Option(names = "--root", paramLabel = "DIR", description = "Prefix every path of the on-host layout with DIR (tests; default /).")
    Path root;

    @Option(names = "--sshd-config", paramLabel = "FILE", description = "sshd's config; the drop-in goes to its dir's sshd_config.d/ (default ${DEFAULT-VALUE}).",
            defaultValue = "/etc/ssh/sshd_config")
    Path sshdConfig;

    @Option(names = "--sshd", paramLabel = "FILE", description = "The sshd binary used for -t and -T (default ${DEFAULT-VALUE}).", defaultValue = "/usr/sbin/sshd")
    Path sshdBinary;

    @Option(names = "--host-name", paramLabel = "NAME", description = "Act as the host NAME (and localhost) instead of detecting this machine's names and addresses.")
    String hostName;

    @Option(names = "--verbose", description = "Show stack traces of errors.")
    boolean verbose;

    public Layout layout() {
        return Layout.forRoot(root);
    }

    public Target target() {
        return new Target(layout(), new SshdPaths(sshdConfig.toAbsolutePath(), sshdBinary.toAbsolutePath()),
                hostName == null ? ThisHost.detect() : ThisHost.named(hostName), new Accounts(), ScriptSource.bundled(), Clock.systemUTC());
    }

    public Path manifestPath() {
        return manifest != null ? manifest : layout().manifest();
    }

    /** Loads the manifest; every problem goes to stderr, the exception names the first. */
    public Manifest load(PrintWriter err) {
        try {
            return ManifestLoader.load(manifestPath());
        } catch (ManifestException e) {
            if (e.problems().size() > 1) {
                for (ManifestProblem p : e.problems()) {
                    err.println("delegator: " + p);
                }
                err.flush();
            }
            throw new UserFacingException(ExitCodes.INVALID_INPUT, e.problems().size() == 1 ? e.getMessage()
                    : e.problems().size() + " problems in " + manifestPath() + "; nothing was planned or applied");
        }
    }
}
