package dev.delegator.client.internal;

import dev.delegator.client.HostKeyRejection;
import dev.delegator.client.Material;
import dev.delegator.client.PinAdvice;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.knownhosts.HostCertificateCheck;
import dev.delegator.knownhosts.HostPort;
import dev.delegator.knownhosts.KnownHosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.signature.Signature;

/**
 * The host keys pinned for one target, as the formats library reads them from its known_hosts
 * ({@link KnownHosts}), and the verdict on the key a server offers: trusted, or a
 * {@link HostKeyRejection} saying why and how to pin it.
 */
public final class PinnedHostKeys {
    private final KnownHosts.Pins pins;
    private final String origin;

    private PinnedHostKeys(KnownHosts.Pins pins, String origin) {
        this.pins = pins;
        this.origin = origin;
    }

    /** Reads the keys pinned for {@code host:port} from {@code knownHosts}. */
    public static PinnedHostKeys load(Material knownHosts, String host, int port) throws IOException {
        return select(parse(knownHosts), knownHosts.origin(), host, port);
    }

    /** The whole known_hosts text, for {@link #select}ing several hosts from one parse. */
    public static KnownHosts parse(Material knownHosts) throws IOException {
        return KnownHosts.parse(new String(knownHosts.read(), StandardCharsets.UTF_8), knownHosts.origin());
    }

    /** The keys that {@code knownHosts} (read from {@code origin}) pins for {@code host:port}. */
    public static PinnedHostKeys select(KnownHosts knownHosts, String origin, String host, int port) {
        return new PinnedHostKeys(knownHosts.pinsFor(new HostPort(host, port)), origin);
    }

    /** The key types pinned for this host, in file order ("ssh-ed25519", …). */
    public Set<String> keyTypes() {
        return pins.keyTypes();
    }

    /** True when known_hosts trusts a host CA for this host: host certificates are then asked for. */
    public boolean hasAuthorities() {
        return pins.hasAuthorities();
    }

    /**
     * The verdict on the key a server offered, as one line: empty when it is trusted. A certificate
     * is judged by {@link HostCertificateCheck} (its CA signature verified here with the plain host-key
     * algorithms), a plain key by its pin; a plain key where only a CA is trusted says so.
     */
    public Optional<String> refusal(SessionContext session, PublicKey key, PinAdvice advice) {
        if (key instanceof OpenSshCertificate cert) {
            return HostCertificateCheck.problem(pins, cert, signatureVerifies(session, cert), Instant.now(), origin);
        }
        Optional<String> plain = HostCertificateCheck.plainKeyProblem(pins, key, origin);
        if (plain.isPresent()) {
            return plain;
        }
        return check(key, advice).map(HostKeyRejection::message);
    }

    /** The CA's signature over the certificate, checked with the plain host-key algorithms only. */
    static boolean signatureVerifies(SessionContext session, OpenSshCertificate cert) {
        Signature verifier = NamedFactory.create(RestrictedClient.HOST_KEY_ALGORITHMS, cert.getSignatureAlgorithm());
        if (verifier == null) {
            return false;
        }
        try {
            verifier.initVerifier(session, cert.getCaPubKey());
            verifier.update(session, cert.getMessage());
            return verifier.verify(session, cert.getSignature());
        } catch (Exception e) {
            return false; // a signature that cannot be checked does not verify
        }
    }

    /** Empty when {@code key} is pinned and not revoked; otherwise why it is refused. */
    public Optional<HostKeyRejection> check(PublicKey key, PinAdvice advice) {
        String offered = PublicKeyEntry.toString(key);
        int sp = offered.indexOf(' ');
        String type = offered.substring(0, sp);
        String base64 = offered.substring(sp + 1).trim();
        byte[] blob = Base64.getDecoder().decode(base64);
        if (pins.trusts(type, blob)) {
            return Optional.empty();
        }
        HostPort target = pins.target();
        return Optional.of(new HostKeyRejection(target.host(), target.port(), type + " " + base64,
                PublicKeyLine.fingerprint(blob), pins.pinnedFingerprints(), pins.revokes(type, blob), origin, advice));
    }
}
