package dev.delegator.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * One OpenSSH public key line, as in a {@code .pub} file: {@code <type> <base64 blob> [comment]}.
 * Checked when built: the base64 must decode and the blob must carry the same type name, as
 * sshd checks ({@code sshkey_read}). The SHA-256 fingerprint is computed over the blob, exactly
 * as {@code ssh-keygen -l} prints it.
 *
 * @param type    the key type name, e.g. {@code ssh-ed25519}
 * @param base64  the key blob in base64
 * @param comment the comment (may contain spaces), or "" for none
 */
public record PublicKeyLine(String type, String base64, String comment) {

    public PublicKeyLine {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(base64, "base64");
        comment = comment == null ? "" : comment;
        if (type.isEmpty() || !type.matches("[A-Za-z0-9@._+-]+")) {
            throw new IllegalArgumentException("key type '" + type + "' is not a valid SSH key type name");
        }
        for (int i = 0; i < comment.length(); i++) {
            char c = comment.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                throw new IllegalArgumentException("key comment must not contain a line break or NUL (at index " + i + ")");
            }
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key data of a " + type + " key is not valid base64: " + e.getMessage());
        }
        String inner = blobType(blob);
        if (!type.equals(inner)) {
            throw new IllegalArgumentException("key data is a " + (inner == null ? "malformed key" : inner + " key")
                    + " but the line says " + type);
        }
    }

    /**
     * Parses one public key line (surrounding white space and a trailing newline are ignored).
     *
     * @throws KeyFormatException saying what is wrong
     */
    public static PublicKeyLine parse(String line) throws KeyFormatException {
        String s = line.strip();
        if (s.isEmpty()) {
            throw new KeyFormatException("empty public key line");
        }
        int sp = firstSpace(s, 0);
        if (sp < 0) {
            throw new KeyFormatException("public key line has a key type but no key data");
        }
        String type = s.substring(0, sp);
        int dataStart = skipSpace(s, sp);
        int dataEnd = firstSpace(s, dataStart);
        String data = dataEnd < 0 ? s.substring(dataStart) : s.substring(dataStart, dataEnd);
        String comment = dataEnd < 0 ? "" : s.substring(skipSpace(s, dataEnd));
        try {
            return new PublicKeyLine(type, data, comment);
        } catch (IllegalArgumentException e) {
            throw new KeyFormatException(e.getMessage());
        }
    }

    /**
     * Reads a {@code .pub} file: exactly one key line (blank lines and {@code #} comments are allowed around it).
     *
     * @throws KeyFormatException naming the file and line when it is not one valid key line
     */
    public static PublicKeyLine read(Path path) throws IOException {
        String text = Files.readString(path, StandardCharsets.UTF_8);
        PublicKeyLine found = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank() || l.strip().startsWith("#")) {
                continue;
            }
            if (found != null) {
                throw new KeyFormatException(path + ":" + (i + 1) + ": a second key; a public key file holds one key");
            }
            try {
                found = parse(l);
            } catch (KeyFormatException e) {
                throw new KeyFormatException(path + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        if (found == null) {
            throw new KeyFormatException(path + ": no public key in the file");
        }
        return found;
    }

    /** The line for a Java public key (any type MINA SSHD can encode) with a comment ("" for none). */
    public static PublicKeyLine of(PublicKey key, String comment) {
        String entry = PublicKeyEntry.toString(key);
        int sp = entry.indexOf(' ');
        return new PublicKeyLine(entry.substring(0, sp), entry.substring(sp + 1), comment);
    }

    /** The decoded key blob. */
    public byte[] blob() {
        return Base64.getDecoder().decode(base64);
    }

    /** {@code SHA256:<base64 without padding>}, as {@code ssh-keygen -l} and sshd's logs print it. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The key as a Java {@link PublicKey} (through MINA SSHD's decoders).
     *
     * @throws KeyFormatException if the type is one MINA SSHD cannot decode (e.g. a security-key type) or the data is malformed
     */
    public PublicKey toPublicKey() throws KeyFormatException {
        SshCrypto.requireEd25519Support();
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(type + " " + base64).resolvePublicKey(null, Map.of(), null);
            if (key == null) {
                throw new KeyFormatException("cannot decode a " + type + " key");
            }
            return key;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyFormatException("cannot decode the " + type + " key: " + e.getMessage(), e);
        }
    }

    /** {@code type base64} or {@code type base64 comment}: the text of a {@code .pub} file, without newline. */
    public String toLine() {
        return comment.isEmpty() ? type + " " + base64 : type + " " + base64 + " " + comment;
    }

    @Override
    public String toString() {
        return toLine();
    }

    /** The type name a key blob starts with (an SSH string), or null when the blob is too short. */
    private static String blobType(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len < 0 || len > blob.length - 4) {
            return null;
        }
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    private static int firstSpace(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
