package dev.delegator.knownhosts;

import dev.delegator.keys.PublicKeyLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;

/**
 * The known_hosts format as ssh reads it: plain or hashed host patterns, {@code [host]:port},
 * negations, {@code @revoked}; {@code @cert-authority} lines are not pins and are passed over.
 * Keys are compared by their SSH wire encoding, so no key is decoded into a Java key to be checked.
 * (The line grammar is MINA's {@code KnownHostEntry}, which follows OpenSSH's {@code hostfile.c};
 * this class is the one place that reads it, for the caller's pinning and for {@code verify}.)
 */
public final class KnownHosts {
    private final List<KnownHostEntry> entries;

    private KnownHosts(List<KnownHostEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a known_hosts text.
     *
     * @param origin where it came from, for the message
     * @throws IOException naming {@code origin} when a line cannot be read
     */
    public static KnownHosts parse(String text, String origin) throws IOException {
        try {
            return new KnownHosts(KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(text))));
        } catch (IllegalArgumentException | IOException e) {
            throw new IOException("cannot read known_hosts " + origin + ": " + e.getMessage(), e);
        }
    }

    /** The keys pinned and revoked for {@code target}. */
    public Pins pinsFor(HostPort target) {
        List<AuthorizedKeyEntry> pinned = new ArrayList<>();
        List<AuthorizedKeyEntry> revoked = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            if (e.getKeyEntry() == null || !e.isHostMatch(target.host(), target.port())) {
                continue;
            }
            String marker = e.getMarker();
            if (marker == null || marker.isEmpty()) {
                pinned.add(e.getKeyEntry());
            } else if ("revoked".equalsIgnoreCase(marker)) {
                revoked.add(e.getKeyEntry());
            }
        }
        return new Pins(target, pinned, revoked);
    }

    /** What known_hosts says about one host. */
    public static final class Pins {
        private final HostPort target;
        private final List<AuthorizedKeyEntry> pinned;
        private final List<AuthorizedKeyEntry> revoked;

        private Pins(HostPort target, List<AuthorizedKeyEntry> pinned, List<AuthorizedKeyEntry> revoked) {
            this.target = target;
            this.pinned = List.copyOf(pinned);
            this.revoked = List.copyOf(revoked);
        }

        public HostPort target() {
            return target;
        }

        /** The key types pinned, in file order ("ssh-ed25519", …). */
        public Set<String> keyTypes() {
            Set<String> types = new LinkedHashSet<>();
            pinned.forEach(k -> types.add(k.getKeyType()));
            return types;
        }

        /** True when the key ({@code type}, wire {@code blob}) is pinned and not revoked. */
        public boolean trusts(String type, byte[] blob) {
            return !revokes(type, blob) && pinned.stream().anyMatch(k -> same(k, type, blob));
        }

        /** True when the key is marked {@code @revoked}. */
        public boolean revokes(String type, byte[] blob) {
            return revoked.stream().anyMatch(k -> same(k, type, blob));
        }

        /** "type SHA256:…" of every pinned key, in file order; empty for an unknown host. */
        public List<String> pinnedFingerprints() {
            return pinned.stream().map(k -> k.getKeyType() + " " + PublicKeyLine.fingerprint(k.getKeyData())).toList();
        }

        private static boolean same(AuthorizedKeyEntry k, String type, byte[] blob) {
            return Objects.equals(k.getKeyType(), type) && Arrays.equals(k.getKeyData(), blob);
        }
    }
}
