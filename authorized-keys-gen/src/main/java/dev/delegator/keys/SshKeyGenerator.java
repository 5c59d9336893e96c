package dev.delegator.keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * Generates SSH key pairs with MINA SSHD (which uses BouncyCastle for ed25519) and encodes them
 * with MINA's OpenSSH writer, the same format {@code ssh-keygen} writes: no hand-written key
 * encoding here. The differential tests prove {@code ssh-keygen} reads the result.
 */
public final class SshKeyGenerator {
    private SshKeyGenerator() {}

    /**
     * Checks a key comment: a line break would split the {@code .pub} line (and an authorized_keys
     * line built from it) in two, so one is refused.
     *
     * @throws IllegalArgumentException for a comment with a line break or NUL, showing it escaped
     */
    public static void requireValidComment(String comment) {
        if (comment.indexOf('\n') >= 0 || comment.indexOf('\r') >= 0 || comment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("key comment must not contain a line break or NUL: "
                    + comment.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0"));
        }
    }

    /**
     * Generates a new key pair.
     *
     * @param spec    type and size, e.g. {@link KeySpec#ed25519()}
     * @param comment the comment stored in the private key and the {@code .pub} line; "" for none;
     *                must not contain a line break or NUL
     * @throws IllegalArgumentException for a comment with a line break or NUL
     */
    public static GeneratedKeyPair generate(KeySpec spec, String comment) {
        String c = comment == null ? "" : comment;
        requireValidComment(c);
        SshCrypto.requireEd25519Support();
        try {
            KeyPair pair = KeyUtils.generateKeyPair(spec.sshName(), spec.bits());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, c, null, out);
            return new GeneratedKeyPair(spec, pair, PublicKeyLine.of(pair.getPublic(), c), out.toByteArray());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not generate a " + spec.sshName() + " key: " + e.getMessage(), e);
        }
    }
}
