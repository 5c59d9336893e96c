package dev.delegator.manifest;

import dev.delegator.knownhosts.HostPatterns;
import dev.delegator.knownhosts.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The manifest's top-level {@code hostCertificates:}: host certificates instead of per-host pins.
 *
 * @param authorities the host CAs callers trust, each for the hosts its patterns match: apply writes
 *     one {@code @cert-authority PATTERNS KEY} line per authority into each caller's known_hosts; a
 *     remote delegate host that one of them covers needs no {@code hostKey}
 * @param revoked     keys callers refuse whatever vouches for them ({@code @revoked * KEY}): a lost host's
 *     key, or a retired host CA's key
 * @param serve       on a delegate host: the host certificate files sshd serves ({@code HostCertificate},
 *     written by {@code delegator ca sign-host}, e.g. {@code /etc/ssh/ssh_host_ed25519_key-cert.pub})
 */
public record HostCertificates(List<Authority> authorities, List<String> revoked, List<Path> serve) {
    public HostCertificates {
        authorities = List.copyOf(authorities);
        revoked = List.copyOf(revoked);
        serve = List.copyOf(serve);
    }

    /** True when an authority's patterns match {@code host:port} as ssh looks it up in known_hosts. */
    public boolean covers(HostPort target) {
        return authorities.stream().anyMatch(a -> HostPatterns.knownHostsMatch(target, a.hosts()));
    }

    /**
     * One trusted host CA.
     *
     * @param hosts OpenSSH host patterns ({@code *.example.org}, {@code [10.0.0.*]:2222}, {@code !db.example.org})
     * @param key   the host CA's public key line (what {@code ca init --host} printed)
     */
    public record Authority(String hosts, String key) {
        public Authority {
            Objects.requireNonNull(key, "key");
            HostPatterns.listProblem(hosts).ifPresent(p -> {
                throw new IllegalArgumentException("hosts: " + p);
            });
        }

        /** The known_hosts line callers read. */
        public String knownHostsLine() {
            return "@cert-authority " + hosts + " " + key;
        }
    }
}
