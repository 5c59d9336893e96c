package dev.delegator.manifest;

import dev.delegator.knownhosts.HostPort;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A host the delegate account lives on, with the pin the caller verifies it by.
 *
 * @param host a host name or address; {@code localhost} means the machine the caller is on
 * @param port its sshd port (22 unless given as {@code host:port})
 * @param hostKey the host's public key line ({@code ssh-ed25519 AAAA...}); required for a remote host
 *     unless {@code knownHosts} is given or a {@code hostCertificates} authority covers it
 * @param knownHosts a known_hosts file whose entries pin the host
 */
public record DelegateHost(String host, int port, Optional<String> hostKey, Optional<Path> knownHosts) {
    public DelegateHost {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostKey, "hostKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
        HostPort.problem(host, port).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        hostKey.flatMap(ManifestLoader::hostKeyProblem).ifPresent(p -> {
            throw new IllegalArgumentException("hostKey of " + host + ": " + p);
        });
    }

    /** True for {@code localhost}: the delegate lives on the caller's machine and its own host keys pin it. */
    public boolean isLocalhost() {
        return host.equals("localhost");
    }

    /** {@code host}, {@code host:port} or {@code [v6]:port}: see {@link HostPort#display()}. */
    public String display() {
        return new HostPort(host, port).display();
    }
}
