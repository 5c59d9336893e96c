package dev.delegator.cli.run;

import dev.delegator.invocation.TargetSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where a delegation runs: from the manifest and the provisioned caller directory (the default),
 * or given explicitly (CI), with {@code --host} repeatable for a fan-out.
 */
public final class TargetOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "Explicit form: host (or host:port) to run on; repeat for several.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--hosts-file", paramLabel = "FILE",
            description = "Explicit form: run on every host in FILE (one host[:port] per line; blank lines and # comments "
                    + "ignored), after the --host ones.")
    Path hostsFile;

    @Option(names = "--port", paramLabel = "PORT", description = "Explicit form: sshd port (default: ${DEFAULT-VALUE}).")
    int port = 22;

    @Option(names = "--user", paramLabel = "USER", description = "Explicit form: the delegate account.")
    String user;

    @Option(names = "--identity", paramLabel = "FILE", description = "Explicit form: the caller's private key (mode 0600).")
    Path identity;

    @Option(names = "--identity-env", paramLabel = "VAR",
            description = "Explicit form: read the private key from environment variable VAR (a CI secret).")
    String identityEnv;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "Explicit form: known_hosts pinning the host(s).")
    Path knownHosts;

    @Option(names = "--known-hosts-env", paramLabel = "VAR",
            description = "Explicit form: read the known_hosts text from environment variable VAR.")
    String knownHostsEnv;

    @Option(names = "--certificate", paramLabel = "FILE",
            description = "Explicit form: the user certificate to offer with the key (default: FILE-cert.pub beside --identity, if it exists).")
    Path certificate;

    @Option(names = "--certificate-env", paramLabel = "VAR",
            description = "Explicit form: read the certificate line from environment variable VAR.")
    String certificateEnv;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Manifest to resolve NAME in (default: /etc/delegator/delegations.yaml).")
    Path manifest;

    @Option(names = "--root", paramLabel = "DIR", hidden = true,
            description = "Prefix every on-host path (tests).")
    Path root;

    /** The {@code --root} on-host paths are below, if given. */
    public java.util.Optional<Path> root() {
        return java.util.Optional.ofNullable(root);
    }

    /** These options with their paths taken against the caller's working directory (inside the agent it is not the process's). */
    public TargetOptions resolvedAgainst(dev.delegator.cli.agent.CallContext context) {
        identity = context.resolve(identity);
        knownHosts = context.resolve(knownHosts);
        certificate = context.resolve(certificate);
        manifest = context.resolve(manifest);
        root = context.resolve(root);
        return this;
    }

    /** True when a key, known_hosts or certificate comes from an environment variable. */
    public boolean secretsFromEnvironment() {
        return identityEnv != null || knownHostsEnv != null || certificateEnv != null;
    }

    /**
     * The files the connections to {@code targets} are made from, and the manifest when NAME was
     * resolved in one: what an agent watches for changes.
     */
    public List<Path> watchedFiles(List<dev.delegator.client.DelegationTarget> targets, boolean fromManifest) {
        List<Path> files = new ArrayList<>();
        for (dev.delegator.client.DelegationTarget t : targets) {
            List<dev.delegator.client.Material> m = new ArrayList<>(List.of(t.identity(), t.knownHosts()));
            t.certificate().ifPresent(m::add);
            for (dev.delegator.client.Material x : m) {
                if (x instanceof dev.delegator.client.Material.FromFile f && !files.contains(f.path())) {
                    files.add(f.path());
                }
            }
        }
        if (fromManifest) {
            files.add(manifest != null ? manifest : dev.delegator.layout.Layout.forRoot(root).manifest());
        }
        return files;
    }

    /** True when the explicit form is used. */
    boolean explicit() {
        return !hosts.isEmpty() || hostsFile != null;
    }

    /** The target as the caller library takes it. */
    public TargetSpec toSpec() {
        return new TargetSpec(hosts, port, user, identity, identityEnv, knownHosts, knownHostsEnv, manifest, root, certificate,
                certificateEnv, hostsFile);
    }
}
