package dev.delegator.demo;

import dev.delegator.accounts.Accounts;
import dev.delegator.install.ScriptSource;
import dev.delegator.localsshd.LocalSshd;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestException;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.plan.Applier;
import dev.delegator.plan.Target;
import dev.delegator.plan.ThisHost;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.sshdconfig.SshdPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Provisions the demo delegation with the real {@code apply} (the library code
 * {@code delegator apply} runs): the manifest goes to the run's layout, the target is that layout
 * plus the private sshd's config, so the drop-in lands in the private sshd's
 * {@code sshd_config.d/} and the reload reaches the private sshd only.
 */
final class Provisioning {
    private Provisioning() {}

    /** The manifest the demo applies (also shown to the user, as the thing they would write). */
    static String manifest(DemoRun run, int port, boolean networkNone) {
        String deploy = run.layout().deployDir().resolve("hg-deploy").toString();
        return "# the delegator demo's manifest (run " + run.id() + "); 'delegator demo --clean' removes what it made\n"
                + "version: 1\n"
                + "delegations:\n"
                + "  " + run.delegation() + ":\n"
                + "    caller: {user: " + run.caller() + "}\n"
                + "    delegate: {user: " + run.delegate() + ", home: " + run.delegateHome() + "}\n"
                + "    hosts: ['localhost:" + port + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: " + deploy + ", args: ['[0-9a-f]{40}']}\n"
                + "    sandbox: {network: " + (networkNone ? "none" : "full") + ", timeout: 2m, processes: 256, memory: 1G, filesize: 64M}\n"
                + "    settings: {source: " + run.repository() + "}\n";
    }

    /** The group the drop-in matches; the demo records it for removal only if apply will create it. */
    static String delegatorGroup() {
        return DropIn.GROUP;
    }

    /** Writes the manifest (root 0644) and applies it; every apply step is shown as a detail line. */
    static Applier.Result apply(DemoRun run, LocalSshd sshd, String manifestText, Console console) {
        Path file = run.layout().manifest();
        Dirs.write(file, manifestText, Dirs.FILE_0644);
        Manifest manifest;
        try {
            manifest = ManifestLoader.load(file);
        } catch (ManifestException e) {
            throw new DemoFailure("the demo's own manifest is invalid (a bug): " + e.getMessage(), e);
        }
        Target target = new Target(run.layout(), new SshdPaths(sshd.configFile(), LocalSshd.binary()), ThisHost.detect(),
                new Accounts(), ScriptSource.bundled(), Clock.systemUTC());
        Applier.Options options = new Applier.Options(true, Duration.ofSeconds(30),
                (i, n, step) -> console.detail(String.format("apply [%d/%d] %s", i, n, step.changes().get(0).display())));
        try {
            return Applier.apply(manifest, target, options);
        } catch (IOException e) {
            throw new DemoFailure("apply failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DemoFailure("apply failed: " + e.getMessage(), e);
        }
    }
}
