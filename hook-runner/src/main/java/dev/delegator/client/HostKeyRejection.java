package dev.delegator.client;

import dev.delegator.knownhosts.HostPort;
import java.util.List;
import java.util.Objects;

/**
 * Why a server's host key was refused, with everything the user needs to judge it: the host,
 * the key type and SHA256 fingerprint it offered, what is pinned, and how to pin the new key if
 * it is right.
 *
 * @param host the host as connected to
 * @param port the port
 * @param offered the server's key as a known_hosts key part ("ssh-ed25519 AAAA…")
 * @param offeredFingerprint "SHA256:…" of the offered key
 * @param pinned fingerprints ("type SHA256:…") pinned for this host; empty = unknown host
 * @param revoked true when the offered key is marked @revoked
 * @param knownHostsOrigin which file or variable holds the pinned keys
 * @param advice how to pin
 */
public record HostKeyRejection(
        String host, int port, String offered, String offeredFingerprint, List<String> pinned,
        boolean revoked, String knownHostsOrigin, PinAdvice advice) {

    public HostKeyRejection {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(offered, "offered");
        pinned = List.copyOf(pinned);
    }

    /** The key type the server offered ("ssh-ed25519"). */
    public String offeredType() {
        return offered.substring(0, offered.indexOf(' '));
    }

    /** The known_hosts line that would pin the offered key. */
    public String knownHostsLine() {
        return new HostPort(host, port).knownHostsPattern() + " " + offered;
    }

    /** One line for stderr. */
    public String message() {
        String where = new HostPort(host, port).display();
        String offer = offeredType() + " " + offeredFingerprint;
        String how = advice == PinAdvice.MANIFEST
                ? "if it is the right key, add it to the manifest's hosts[].hostKey and run delegator apply"
                : "if it is the right key, add this line to " + knownHostsOrigin + ": " + knownHostsLine();
        if (revoked) {
            return "host key of " + where + " (" + offer + ") is marked @revoked in " + knownHostsOrigin
                    + "; refusing to connect";
        }
        if (pinned.isEmpty()) {
            return "host key of " + where + " is unknown: it offered " + offer + ", and " + knownHostsOrigin
                    + " pins no key for it; refusing to connect; " + how;
        }
        return "HOST KEY CHANGED for " + where + ": it offered " + offer + " but " + knownHostsOrigin
                + " pins " + String.join(", ", pinned)
                + "; refusing to connect (someone may be intercepting the connection); " + how;
    }
}
