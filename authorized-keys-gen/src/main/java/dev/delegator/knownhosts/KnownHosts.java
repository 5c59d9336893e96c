package dev.delegator.knownhosts;

import dev.delegator.keys.PublicKeyLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;

/**
 * The known_hosts format as ssh reads it: plain or hashed host patterns, {@code [host]:port},
 * negations, {@code @revoked}; {@code @cert-authority} lines are not pins: they name the host CAs
 * whose certificates {@link HostCertificateCheck} accepts, their host field matched by OpenSSH's
 * rules ({@link HostPatterns}).
 * Keys are compared by their SSH wire encoding, so no key is decoded into a Java key to be checked.
 * (The line grammar is MINA's {@code KnownHostEntry}, which follows OpenSSH's {@code hostfile.c};
 * this class is the one place that reads it, for the caller's pinning and for {@code verify}.)
 */
public final class KnownHosts {
    private final List<KnownHostEntry> entries;
    private final List<Marked> marked;

    private KnownHosts(List<KnownHostEntry> entries, List<Marked> marked) {
        this.entries = List.copyOf(entries);
        this.marked = List.copyOf(marked);
    }

    /**
     * Reads a known_hosts text.
     *
     * @param origin where it came from, for the message
     * @throws IOException naming {@code origin} when a line cannot be read
     */
    public static KnownHosts parse(String text, String origin) throws IOException {
        // Marker lines are read here: MINA's pattern parser refuses host fields ssh takes, such as
        // "[10.0.0.*]:*" (a wildcard port), which a @cert-authority line is likely to use.
        StringBuilder plain = new StringBuilder();
        List<Marked> marked = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String l = line.strip();
            if (l.startsWith("@")) {
                Marked.parse(l).ifPresent(marked::add);
                plain.append('\n'); // keeps MINA's line numbers in its messages
            } else {
                plain.append(line).append('\n');
            }
        }
        try {
            return new KnownHosts(KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(plain.toString()))), marked);
        } catch (IllegalArgumentException | IOException e) {
            throw new IOException("cannot read known_hosts " + origin + ": " + e.getMessage(), e);
        }
    }

    /** A {@code @cert-authority} or {@code @revoked} line: marker, host field, key. */
    private record Marked(String marker, String hostField, String keyText, AuthorizedKeyEntry key) {
        /** Empty for a line ssh would pass over (unknown marker, no key): it then trusts and revokes nothing. */
        static Optional<Marked> parse(String line) {
            String[] f = line.split("[ \\t]+", 3);
            String marker = f[0].substring(1).toLowerCase(Locale.ROOT);
            if (f.length < 3 || !(marker.equals("cert-authority") || marker.equals("revoked"))) {
                return Optional.empty();
            }
            try {
                AuthorizedKeyEntry key = AuthorizedKeyEntry.parseAuthorizedKeyEntry(f[2]);
                if (key == null || key.getKeyType() == null || key.getKeyData() == null || key.getKeyData().length == 0) {
                    return Optional.empty();
                }
                return Optional.of(new Marked(marker, f[1], f[2], key));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        /** The host field matched as ssh's {@code match_hostname} does; a hashed one ({@code |1|...}) by its hash. */
        boolean applies(HostPort target) {
            if (hostField.startsWith("|")) {
                KnownHostEntry e = KnownHostEntry.parseKnownHostEntry(hostField + " " + keyText);
                return e != null && e.isHostMatch(target.host(), target.port());
            }
            return HostPatterns.knownHostsMatch(target, hostField);
        }
    }

    /** The keys pinned and revoked for {@code target}. */
    public Pins pinsFor(HostPort target) {
        List<AuthorizedKeyEntry> pinned = new ArrayList<>();
        List<AuthorizedKeyEntry> revoked = new ArrayList<>();
        List<AuthorizedKeyEntry> authorities = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            if (e.getKeyEntry() == null || !e.isHostMatch(target.host(), target.port())) {
                continue;
            }
            String marker = e.getMarker();
            if (marker == null || marker.isEmpty()) {
                pinned.add(e.getKeyEntry());
            }
        }
        for (Marked m : marked) {
            if (m.applies(target)) {
                (m.marker().equals("revoked") ? revoked : authorities).add(m.key());
            }
        }
        return new Pins(target, pinned, revoked, authorities);
    }

    /** What known_hosts says about one host. */
    public static final class Pins {
        private final HostPort target;
        private final List<AuthorizedKeyEntry> pinned;
        private final List<AuthorizedKeyEntry> revoked;
        private final List<AuthorizedKeyEntry> authorities;

        private Pins(HostPort target, List<AuthorizedKeyEntry> pinned, List<AuthorizedKeyEntry> revoked,
                List<AuthorizedKeyEntry> authorities) {
            this.target = target;
            this.pinned = List.copyOf(pinned);
            this.revoked = List.copyOf(revoked);
            this.authorities = List.copyOf(authorities);
        }

        /** True when a {@code @cert-authority} line applies to this host: its certificates can be trusted. */
        public boolean hasAuthorities() {
            return !authorities.isEmpty();
        }

        /** True when the CA key ({@code type}, wire {@code blob}) is a {@code @cert-authority} for this host. */
        public boolean trustsAuthority(String type, byte[] blob) {
            return authorities.stream().anyMatch(k -> same(k, type, blob));
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
