package dev.delegator.keys;

import java.security.KeyPair;
import java.util.Objects;

/**
 * A freshly generated key pair in the forms delegator writes: the {@code .pub} line and the
 * unencrypted OpenSSH private key file. Never printed: {@link #toString()} shows only the public half.
 */
public final class GeneratedKeyPair {
    private final KeySpec spec;
    private final KeyPair keyPair;
    private final PublicKeyLine publicKey;
    private final byte[] openSshPrivateKey;

    GeneratedKeyPair(KeySpec spec, KeyPair keyPair, PublicKeyLine publicKey, byte[] openSshPrivateKey) {
        this.spec = Objects.requireNonNull(spec);
        this.keyPair = Objects.requireNonNull(keyPair);
        this.publicKey = Objects.requireNonNull(publicKey);
        this.openSshPrivateKey = openSshPrivateKey.clone();
    }

    /** The type and size generated. */
    public KeySpec spec() {
        return spec;
    }

    /** The key pair as Java keys (for signing in-process, e.g. with MINA SSHD). */
    public KeyPair keyPair() {
        return keyPair;
    }

    /** The public key as a parsed line. */
    public PublicKeyLine publicKey() {
        return publicKey;
    }

    /** {@code ssh-ed25519 AAAA… comment}: the content of the {@code .pub} file, without newline. */
    public String publicKeyLine() {
        return publicKey.toLine();
    }

    /** The bytes of the unencrypted OpenSSH private key file ({@code -----BEGIN OPENSSH PRIVATE KEY-----}). */
    public byte[] openSshPrivateKey() {
        return openSshPrivateKey.clone();
    }

    /** {@code SHA256:…}, as {@code ssh-keygen -l} prints it. */
    public String fingerprint() {
        return publicKey.fingerprint();
    }

    /** The comment ("" for none). */
    public String comment() {
        return publicKey.comment();
    }

    /**
     * The line {@code ssh-keygen -l -f} prints for this key, e.g.
     * {@code 256 SHA256:… comment (ED25519)} ({@code no comment} when the comment is empty).
     */
    public String fingerprintLine() {
        return fingerprintLine("no comment");
    }

    /**
     * The line {@code ssh-keygen -l -f PATH} prints once the pair is written to PATH: as
     * {@link #fingerprintLine()}, but a key without comment shows the {@code .pub} file's path
     * where the comment goes, as ssh-keygen does.
     */
    public String fingerprintLine(java.nio.file.Path publicKeyFile) {
        return fingerprintLine(publicKeyFile.toString());
    }

    private String fingerprintLine(String whenNoComment) {
        return spec.bits() + " " + fingerprint() + " " + (comment().isEmpty() ? whenNoComment : comment())
                + " (" + spec.type().label() + ")";
    }

    @Override
    public String toString() {
        return "GeneratedKeyPair[" + spec.sshName() + " " + fingerprint() + "]";
    }
}
