package dev.delegator.client.internal;

import dev.delegator.client.Material;
import dev.delegator.keys.KeyFiles;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.UnsafeKeyFileException;
import java.io.IOException;
import java.security.KeyPair;

/**
 * Loads the one private key a delegation authenticates with, under the formats library's one
 * private-key policy ({@link KeyFiles#loadPrivateKey}): a key file its group or others may access
 * is refused, as ssh does ("UNPROTECTED PRIVATE KEY FILE"), since a leaked caller key runs the
 * delegation; a key with a passphrase is refused (a hook has nobody to type it); a file holding
 * several keys is refused rather than its first key used.
 */
public final class PrivateKeys {
    private PrivateKeys() {}

    /**
     * Reads and decodes the key.
     *
     * @throws KeyRefusedException when the file is group/other-accessible, unreadable, encrypted or not one key
     */
    public static KeyPair load(Material material) throws KeyRefusedException {
        return decode(material, read(material));
    }

    /**
     * The cheap half of {@link #load} ({@link KeyFiles#readPrivateKeyFile} for a file): refuses a
     * group/other-accessible key file and reads the bytes. The runner does this before connecting
     * and decodes while the key exchange runs.
     */
    public static byte[] read(Material material) throws KeyRefusedException {
        Ed25519Crypto.install();
        try {
            return material instanceof Material.FromFile f ? KeyFiles.readPrivateKeyFile(f.path()) : material.read();
        } catch (UnsafeKeyFileException | KeyFormatException e) {
            throw new KeyRefusedException(e.getMessage(), e);
        } catch (IOException e) {
            throw new KeyRefusedException(Material.cannotReadKey(material.origin(), reason(e)), e);
        }
    }

    /** The expensive half of {@link #load} ({@link KeyFiles#decodePrivateKey}): parses the one key. */
    public static KeyPair decode(Material material, byte[] bytes) throws KeyRefusedException {
        try {
            return KeyFiles.decodePrivateKey(bytes, material.origin());
        } catch (IOException e) {
            throw new KeyRefusedException(reason(e), e);
        }
    }

    private static String reason(Exception e) {
        // these carry only the path as their message, which the caller's line already names
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The key cannot be used; the message says why and what to do. */
    public static final class KeyRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public KeyRefusedException(String message) {
            super(message);
        }

        public KeyRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
