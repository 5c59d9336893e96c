package dev.delegator.invocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a delegation runs, as a caller states it: by NAME from the manifest and the provisioned
 * caller directory (no {@code hosts}), or in the explicit form for CI (hosts, user, key and
 * known_hosts as files or environment variables).
 *
 * @param hosts explicit form: {@code host}, {@code host:port} or {@code [address]:port}; empty for the NAME form
 * @param port the port of a host given without one
 * @param user explicit form: the delegate account
 * @param identity explicit form: the private key file, or null
 * @param identityEnv explicit form: the variable holding the private key, or null
 * @param knownHosts explicit form: the known_hosts file, or null
 * @param knownHostsEnv explicit form: the variable holding the known_hosts text, or null
 * @param manifest NAME form: the manifest, or null for the layout's
 * @param root a prefix for every on-host path (tests), or null for /
 * @param certificate explicit form: the user certificate to offer with the key, or null (then
 *     {@code <identity>-cert.pub} is offered when it exists, OpenSSH's convention)
 * @param certificateEnv explicit form: the variable holding the certificate line, or null
 * @param hostsFile explicit form: a file of hosts ({@link HostsFile}), run on after {@code hosts}, or null
 */
public record TargetSpec(List<String> hosts, int port, String user, Path identity, String identityEnv,
        Path knownHosts, String knownHostsEnv, Path manifest, Path root, Path certificate, String certificateEnv,
        Path hostsFile) {

    /** A spec without a hosts file. */
    public TargetSpec(List<String> hosts, int port, String user, Path identity, String identityEnv,
            Path knownHosts, String knownHostsEnv, Path manifest, Path root, Path certificate, String certificateEnv) {
        this(hosts, port, user, identity, identityEnv, knownHosts, knownHostsEnv, manifest, root, certificate, certificateEnv, null);
    }

    /** A spec without an explicit certificate. */
    public TargetSpec(List<String> hosts, int port, String user, Path identity, String identityEnv,
            Path knownHosts, String knownHostsEnv, Path manifest, Path root) {
        this(hosts, port, user, identity, identityEnv, knownHosts, knownHostsEnv, manifest, root, null, null);
    }

    public TargetSpec {
        hosts = List.copyOf(Objects.requireNonNull(hosts, "hosts"));
    }

    /** True when the explicit form is used. */
    public boolean explicit() {
        return !hosts.isEmpty() || hostsFile != null;
    }
}
