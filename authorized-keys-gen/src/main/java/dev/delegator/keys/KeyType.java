package dev.delegator.keys;

import java.util.Locale;
import java.util.Optional;

/**
 * The public-key types OpenSSH 9.2's sshd accepts in authorized_keys (sshkey.c's table), with the
 * name a line carries and the type string inside the key blob.
 *
 * <p>{@code ssh-dss} is parsed because sshd still parses it, but it is {@linkplain #legacy() legacy}:
 * DSA is off in {@code PubkeyAcceptedAlgorithms} by default since OpenSSH 7.0, and lint warns.
 */
public enum KeyType {
    ED25519("ssh-ed25519", false, false, false),
    ECDSA_NISTP256("ecdsa-sha2-nistp256", false, false, false),
    ECDSA_NISTP384("ecdsa-sha2-nistp384", false, false, false),
    ECDSA_NISTP521("ecdsa-sha2-nistp521", false, false, false),
    RSA("ssh-rsa", false, false, false),
    DSA("ssh-dss", false, false, true),
    SK_ED25519("sk-ssh-ed25519@openssh.com", false, true, false),
    SK_ECDSA_NISTP256("sk-ecdsa-sha2-nistp256@openssh.com", false, true, false),
    ED25519_CERT("ssh-ed25519-cert-v01@openssh.com", true, false, false),
    ECDSA_NISTP256_CERT("ecdsa-sha2-nistp256-cert-v01@openssh.com", true, false, false),
    ECDSA_NISTP384_CERT("ecdsa-sha2-nistp384-cert-v01@openssh.com", true, false, false),
    ECDSA_NISTP521_CERT("ecdsa-sha2-nistp521-cert-v01@openssh.com", true, false, false),
    RSA_CERT("ssh-rsa-cert-v01@openssh.com", true, false, false),
    DSA_CERT("ssh-dss-cert-v01@openssh.com", true, false, true),
    SK_ED25519_CERT("sk-ssh-ed25519-cert-v01@openssh.com", true, true, false),
    SK_ECDSA_NISTP256_CERT("sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", true, true, false);

    private final String sshName;
    private final boolean certificate;
    private final boolean securityKey;
    private final boolean legacy;

    KeyType(String sshName, boolean certificate, boolean securityKey, boolean legacy) {
        this.sshName = sshName;
        this.certificate = certificate;
        this.securityKey = securityKey;
        this.legacy = legacy;
    }

    /** The canonical name, as written in a line and inside the key blob. */
    public String sshName() {
        return sshName;
    }

    /** True for the {@code -cert-v01@openssh.com} types. */
    public boolean certificate() {
        return certificate;
    }

    /** True for FIDO security-key types ({@code sk-}), the only ones where touch/verify options act. */
    public boolean securityKey() {
        return securityKey;
    }

    /** True for DSA, which sshd 9.2 parses but refuses by default. */
    public boolean legacy() {
        return legacy;
    }

    /** For a certificate type, the plain type it certifies; the type itself otherwise. */
    public KeyType plain() {
        if (!certificate) {
            return this;
        }
        String base = sshName.replace("-cert-v01@openssh.com", "");
        String name = securityKey ? base + "@openssh.com" : base;
        return fromSshName(name).orElseThrow();
    }

    /** The type for a canonical name (case-sensitive, as sshd compares it). */
    public static Optional<KeyType> fromSshName(String name) {
        for (KeyType t : values()) {
            if (t.sshName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The type sshd would read for a name in the key-type position, including the names sshd also
     * accepts there although nobody should write them: signature algorithm names
     * ({@code rsa-sha2-256}, {@code rsa-sha2-512} and their cert forms) and the case-insensitive
     * short names ({@code RSA}, {@code DSA}, {@code ED25519}, {@code ED25519-SK}, {@code ECDSA-SK}).
     * A bare {@code ECDSA} never works: sshd then finds no curve to match.
     */
    public static Optional<KeyType> fromNameAsSshdReadsIt(String name) {
        Optional<KeyType> exact = fromSshName(name);
        if (exact.isPresent()) {
            return exact;
        }
        switch (name) {
            case "rsa-sha2-256":
            case "rsa-sha2-512":
                return Optional.of(RSA);
            case "rsa-sha2-256-cert-v01@openssh.com":
            case "rsa-sha2-512-cert-v01@openssh.com":
                return Optional.of(RSA_CERT);
            case "webauthn-sk-ecdsa-sha2-nistp256@openssh.com":
                return Optional.of(SK_ECDSA_NISTP256);
            default:
                break;
        }
        switch (name.toUpperCase(Locale.ROOT)) {
            case "RSA":
                return Optional.of(RSA);
            case "DSA":
                return Optional.of(DSA);
            case "ED25519":
                return Optional.of(ED25519);
            case "ED25519-SK":
                return Optional.of(SK_ED25519);
            case "ECDSA-SK":
                return Optional.of(SK_ECDSA_NISTP256);
            default:
                return Optional.empty();
        }
    }
}
