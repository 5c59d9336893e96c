package dev.delegator.client.internal;

import dev.delegator.client.HostKeyRejection;
import dev.delegator.client.Material;
import dev.delegator.client.PinAdvice;
import dev.delegator.keys.PublicKeyLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The host keys pinned for one host, read from a known_hosts text (OpenSSH format: plain or
 * hashed host patterns, {@code [host]:port}, {@code @revoked}; {@code @cert-authority} lines are
 * ignored). Keys are compared by their SSH wire encoding, so no key has to be decoded into a
 * Java key object to be checked.
 */
public final class PinnedHostKeys {
    private final String host;
    private final int port;
    private final String origin;
    private final List<AuthorizedKeyEntry> pinned;
    private final List<AuthorizedKeyEntry> revoked;

    private PinnedHostKeys(String host, int port, String origin, List<AuthorizedKeyEntry> pinned,
            List<AuthorizedKeyEntry> revoked) {
        this.host = host;
        this.port = port;
        this.origin = origin;
        this.pinned = List.copyOf(pinned);
        this.revoked = List.copyOf(revoked);
    }

    /** Reads the keys pinned for {@code host:port} from {@code knownHosts}. */
    public static PinnedHostKeys load(Material knownHosts, String host, int port) throws IOException {
        return select(parse(knownHosts), knownHosts.origin(), host, port);
    }

    /** All entries of a known_hosts text, for {@link #select}ing several hosts from one parse. */
    public static List<KnownHostEntry> parse(Material knownHosts) throws IOException {
        String text = new String(knownHosts.read(), StandardCharsets.UTF_8);
        try {
            return List.copyOf(KnownHostEntry.readKnownHostEntries(new BufferedReader(new StringReader(text))));
        } catch (IllegalArgumentException | IOException e) {
            throw new IOException("cannot read known_hosts " + knownHosts.origin() + ": " + e.getMessage(), e);
        }
    }

    /** The keys that {@code entries} (read from {@code origin}) pin for {@code host:port}. */
    public static PinnedHostKeys select(List<KnownHostEntry> entries, String origin, String host, int port) {
        List<AuthorizedKeyEntry> pinned = new ArrayList<>();
        List<AuthorizedKeyEntry> revoked = new ArrayList<>();
        for (KnownHostEntry e : entries) {
            if (e.getKeyEntry() == null || !e.isHostMatch(host, port)) {
                continue;
            }
            String marker = e.getMarker();
            if (marker == null || marker.isEmpty()) {
                pinned.add(e.getKeyEntry());
            } else if ("revoked".equalsIgnoreCase(marker)) {
                revoked.add(e.getKeyEntry());
            }
        }
        return new PinnedHostKeys(host, port, origin, pinned, revoked);
    }

    /** The key types pinned for this host, in file order ("ssh-ed25519", …). */
    public Set<String> keyTypes() {
        Set<String> types = new LinkedHashSet<>();
        pinned.forEach(k -> types.add(k.getKeyType()));
        return types;
    }

    /** Empty when {@code key} is pinned and not revoked; otherwise why it is refused. */
    public java.util.Optional<HostKeyRejection> check(PublicKey key, PinAdvice advice) {
        String offered = PublicKeyEntry.toString(key);
        int sp = offered.indexOf(' ');
        String type = offered.substring(0, sp);
        byte[] blob = Base64.getDecoder().decode(offered.substring(sp + 1).trim());
        boolean isRevoked = revoked.stream().anyMatch(k -> same(k, type, blob));
        if (!isRevoked && pinned.stream().anyMatch(k -> same(k, type, blob))) {
            return java.util.Optional.empty();
        }
        List<String> pins = pinned.stream().map(k -> k.getKeyType() + " " + PublicKeyLine.fingerprint(k.getKeyData())).toList();
        return java.util.Optional.of(new HostKeyRejection(host, port, type + " " + offered.substring(sp + 1).trim(),
                PublicKeyLine.fingerprint(blob), pins, isRevoked, origin, advice));
    }

    private static boolean same(AuthorizedKeyEntry k, String type, byte[] blob) {
        return Objects.equals(k.getKeyType(), type) && Arrays.equals(k.getKeyData(), blob);
    }
}
