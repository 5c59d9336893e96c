package dev.delegator.client;

import dev.delegator.knownhosts.HostPort;
import java.util.Objects;

/**
 * One host a delegation runs on, with everything needed to reach it: who to log in as, the one
 * key to offer, and the pinned host keys to trust. Nothing else is consulted (no ~/.ssh/config,
 * no agent, no default identities).
 *
 * @param delegation the delegation's name, for the audit log and messages ("-" for the explicit form)
 * @param host host name or address to connect to
 * @param port TCP port, 1..65535 (22 by default in the callers)
 * @param user the delegate account
 * @param identity the caller's private key (passwordless; refused when group/other-readable)
 * @param knownHosts the pinned known_hosts text for this host
 * @param pinAdvice what a host-key refusal advises: fix the manifest, or add a known_hosts line
 */
public record DelegationTarget(
        String delegation, String host, int port, String user, Material identity, Material knownHosts,
        PinAdvice pinAdvice) {

    /** A target whose known_hosts was given explicitly (refusals show the line to add). */
    public DelegationTarget(String delegation, String host, int port, String user, Material identity,
            Material knownHosts) {
        this(delegation, host, port, user, identity, knownHosts, PinAdvice.KNOWN_HOSTS_LINE);
    }

    public DelegationTarget {
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(pinAdvice, "pinAdvice");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(knownHosts, "knownHosts");
        if (host == null || host.isBlank() || host.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("host (" + host + ") must be a non-empty name or address without spaces");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port (" + port + ") must be in 1..65535");
        }
        if (user == null || user.isBlank() || user.chars().anyMatch(c -> c <= ' ' || c == '@')) {
            throw new IllegalArgumentException("user (" + user + ") must be a non-empty account name");
        }
    }

    /** How output lines, messages and the summary name this target: see {@link HostPort#display()}. */
    public String label() {
        return new HostPort(host, port).display();
    }
}
