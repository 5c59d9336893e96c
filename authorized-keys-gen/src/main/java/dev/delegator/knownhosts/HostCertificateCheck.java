package dev.delegator.knownhosts;

import dev.delegator.keys.PublicKeyLine;
import java.security.PublicKey;
import dev.delegator.certificates.CertificateTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Judges a host certificate a server offered against what known_hosts says about the host, doing
 * what OpenSSH's {@code check_host_key} and {@code sshkey_cert_check_host} (sshkey.c,
 * sshconnect.c) do, since Apache MINA SSHD does not check {@code @cert-authority} (SSHD-1167):
 * neither the CA key nor the certified key is {@code @revoked}; the CA signature verifies; the CA
 * is a {@code @cert-authority} for this host (else, as ssh does, the certified key counts as a plain
 * key and must be pinned); the certificate is a host certificate; now is inside its validity; it
 * names principals and one of them (a pattern, {@link HostPatterns#matchPattern}) matches the host
 * name; it carries no critical option (none is defined for host certificates). Every refusal is
 * final: a certificate under a trusted CA that fails a check is never judged as a plain key.
 */
public final class HostCertificateCheck {
    private HostCertificateCheck() {}

    /**
     * Empty when the certificate authenticates the host; otherwise the one-line reason.
     *
     * @param pins what known_hosts holds for the host connected to
     * @param cert the certificate the server offered as its host key
     * @param signatureVerifies whether the CA's signature over the certificate verifies (the caller
     *     has the signature algorithms)
     * @param now the local clock
     * @param origin the known_hosts file or variable, for the message
     */
    public static Optional<String> problem(KnownHosts.Pins pins, OpenSshCertificate cert, boolean signatureVerifies, Instant now,
            String origin) {
        HostPort target = pins.target();
        String where = target.display();
        String what = "host certificate for " + where + " (key id \"" + cert.getId() + "\")";
        Wire ca = Wire.of(cert.getCaPubKey());
        Wire key = Wire.of(cert.getCertPubKey());
        if (pins.revokes(ca.type, ca.blob)) {
            return Optional.of(what + " is signed by CA " + ca.display() + ", which is marked @revoked in " + origin
                    + "; refusing to connect");
        }
        if (pins.revokes(key.type, key.blob)) {
            return Optional.of(what + " certifies key " + key.display() + ", which is marked @revoked in " + origin
                    + "; refusing to connect");
        }
        if (!signatureVerifies) {
            return Optional.of(what + ": the signature of CA " + ca.display() + " does not verify; refusing to connect");
        }
        if (!pins.trustsAuthority(ca.type, ca.blob)) {
            if (pins.trusts(key.type, key.blob)) {
                return Optional.empty(); // ssh's fallback: the certified key itself is pinned
            }
            return Optional.of(what + " is signed by CA " + ca.display() + ", which " + origin
                    + " does not trust for " + where + " (no @cert-authority line for it names that key), and its key "
                    + key.display() + " is not pinned; refusing to connect");
        }
        if (cert.getType() != OpenSshCertificate.Type.HOST) {
            return Optional.of(what + " is a user certificate, not a host certificate (a user certificate never authenticates a host)"
                    + "; refusing to connect");
        }
        long t = now.getEpochSecond();
        if (Long.compareUnsigned(t, cert.getValidAfter()) < 0) {
            return Optional.of(what + " is not valid before " + instant(cert.getValidAfter()) + "; refusing to connect");
        }
        if (Long.compareUnsigned(t, cert.getValidBefore()) >= 0) {
            return Optional.of(what + " expired at " + instant(cert.getValidBefore()) + "; refusing to connect");
        }
        List<String> principals = cert.getPrincipals() == null ? List.of() : new ArrayList<>(cert.getPrincipals());
        if (principals.isEmpty()) {
            return Optional.of(what + " names no principals (it would vouch for any host); refusing to connect");
        }
        String name = target.host().toLowerCase(Locale.ROOT);
        if (principals.stream().noneMatch(p -> HostPatterns.matchPattern(name, p))) {
            return Optional.of("host certificate for " + where + " names principals " + principals + " not " + name
                    + "; refusing to connect");
        }
        if (cert.getCriticalOptions() != null && !cert.getCriticalOptions().isEmpty()) {
            List<String> names = cert.getCriticalOptions().stream().map(OpenSshCertificate.CertificateOption::getName).toList();
            return Optional.of(what + " carries critical options " + names + " (none is defined for host certificates)"
                    + "; refusing to connect");
        }
        return Optional.empty();
    }

    /**
     * The message for a plain host key when known_hosts trusts a CA for the host but pins no key:
     * the host must present its certificate (or be pinned too). Empty when no CA applies.
     */
    public static Optional<String> plainKeyProblem(KnownHosts.Pins pins, PublicKey key, String origin) {
        Wire k = Wire.of(key);
        if (!pins.hasAuthorities() || pins.trusts(k.type, k.blob) || !pins.pinnedFingerprints().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("host key of " + pins.target().display() + " is a plain key (" + k.display() + "), not a certificate, and "
                + origin + " trusts only @cert-authority certificates for it; refusing to connect; serve a host certificate "
                + "(delegator ca sign-host) or pin the key");
    }

    private static String instant(long seconds) {
        return seconds == OpenSshCertificate.INFINITY ? "forever" : CertificateTime.of(seconds).toString();
    }

    /** A key as its SSH wire type and blob, the form known_hosts entries are compared in. */
    private record Wire(String type, byte[] blob) {
        static Wire of(PublicKey key) {
            String text = PublicKeyEntry.toString(key);
            int sp = text.indexOf(' ');
            return new Wire(text.substring(0, sp), Base64.getDecoder().decode(text.substring(sp + 1).trim()));
        }

        String display() {
            return type + " " + PublicKeyLine.fingerprint(blob);
        }
    }
}
