package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A host the delegate account lives on, with the pin the caller verifies it by.
 *
 * @param host a host name or address; {@code localhost} means the machine the caller is on
 * @param port its sshd port (22 unless given as {@code host:port})
 * @param hostKey the host's public key line ({@code ssh-ed25519 AAAA...}); required for a remote host
 *     unless {@code knownHosts} is given
 * @param knownHosts a known_hosts file whose entries pin the host
 */
public record DelegateHost(String host, int port, Optional<String> hostKey, Optional<Path> knownHosts) {
    public DelegateHost {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostKey, "hostKey");
        Objects.requireNonNull(knownHosts, "knownHosts");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port (" + port + ") must be 1..65535");
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= 0x20 || c == 0x7f || c == ',' || c == '[' || c == ']')) {
            throw new IllegalArgumentException("host (" + host + ") is not a host name or address");
        }
        hostKey.flatMap(ManifestLoader::hostKeyProblem).ifPresent(p -> {
            throw new IllegalArgumentException("hostKey of " + host + ": " + p);
        });
    }

    /** True for {@code localhost}: the delegate lives on the caller's machine and its own host keys pin it. */
    public boolean isLocalhost() {
        return host.equals("localhost");
    }

    /** {@code host} or {@code host:port} as written in the manifest. */
    public String display() {
        return port == 22 ? host : host + ":" + port;
    }
}
