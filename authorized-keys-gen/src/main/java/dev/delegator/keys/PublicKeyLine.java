package dev.delegator.keys;

import java.io.IOException;
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
import java.util.Optional;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.buffer.BufferException;

/**
 * One OpenSSH public key: {@code <type> <base64 blob> [comment]}, as a {@code .pub} file, a
 * manifest's {@code callerPublicKey}/{@code hostKey} or the key part of an authorized_keys line
 * holds it. This is the one public-key model: the authorized_keys line is options plus this (as
 * MINA's {@code AuthorizedKeyEntry extends PublicKeyEntry}), and the manifest, lint, the line
 * writer, the planner and the client's host key pinning all read keys through it.
 *
 * <p>Checked the way sshd's {@code sshkey_read} checks a key: the type is one of sshd's
 * ({@link KeyType}, including the spellings sshd also reads, such as {@code rsa-sha2-256}), the
 * base64 is canonical, the blob's embedded type is the line's and its fields are complete and
 * well-formed for that type (an ed25519 key has 32 bytes, an ecdsa point lies on the named curve's
 * encoding, an RSA modulus has at least 1024 bits). So a key accepted here is one sshd can load,
 * and its {@link #fingerprint()} is the one {@code ssh-keygen -l} prints.
 */
public final class PublicKeyLine {
    private final String typeName;
    private final KeyType type;
    private final String base64;
    private final String comment;
    private final byte[] blob;
    private final byte[] plainBlob;

    private PublicKeyLine(String typeName, KeyType type, String base64, String comment, byte[] blob, byte[] plainBlob) {
        this.typeName = typeName;
        this.type = type;
        this.base64 = base64;
        this.comment = comment;
        this.blob = blob;
        this.plainBlob = plainBlob;
    }

    /**
     * Parses one public key line; surrounding white space and a trailing newline are ignored.
     *
     * @throws KeyFormatException saying what is wrong; {@link KeyFormatException#index()} is where, in the stripped text
     */
    public static PublicKeyLine parse(String line) throws KeyFormatException {
        String s = line.strip();
        if (s.isEmpty()) {
            throw new KeyFormatException("empty public key line", 0);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                throw new KeyFormatException(c == '\0' ? "a NUL inside the key line" : "a line break inside the key line", i);
            }
        }
        return readAt(s, 0);
    }

    /** Empty when {@link #parse(String)} takes {@code line}; otherwise its message. */
    public static Optional<String> problem(String line) {
        try {
            parse(line);
            return Optional.empty();
        } catch (KeyFormatException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Reads the key that starts at {@code from} in {@code text} and runs to its end, as sshd's
     * {@code sshkey_read} does: the type, spaces or tabs, the base64 blob, and the rest (after
     * spaces or tabs) as the comment, kept as is. For callers that read a larger line (the
     * authorized_keys parser); {@link #parse(String)} is this for a whole {@code .pub} line.
     *
     * @throws KeyFormatException whose {@link KeyFormatException#index()} is the index in {@code text}
     */
    public static PublicKeyLine readAt(String text, int from) throws KeyFormatException {
        int typeEnd = nextSpace(text, from);
        String typeName = text.substring(from, typeEnd);
        Optional<KeyType> type = KeyType.fromNameAsSshdReadsIt(typeName);
        if (type.isEmpty()) {
            throw new KeyFormatException(typeName.isEmpty() ? "missing key type" : "unknown key type " + KeyBlob.printable(typeName), from);
        }
        int q = skipSpace(text, typeEnd);
        if (q == text.length()) {
            throw new KeyFormatException("missing key data after \"" + typeName + "\"", q);
        }
        int blobEnd = nextSpace(text, q);
        String base64 = text.substring(q, blobEnd);
        byte[] blob;
        byte[] plain;
        try {
            blob = KeyBlob.decode(base64);
            plain = KeyBlob.check(type.get(), blob);
        } catch (KeyBlob.Invalid e) {
            throw new KeyFormatException(e.getMessage(), q);
        }
        return new PublicKeyLine(typeName, type.get(), base64, text.substring(skipSpace(text, blobEnd)), blob, plain);
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

    /**
     * The line for a Java public key (any type MINA SSHD can encode) with a comment ("" for none).
     *
     * @throws IllegalArgumentException when the comment holds a line break or NUL
     */
    public static PublicKeyLine of(PublicKey key, String comment) {
        String c = comment == null ? "" : comment;
        String line = PublicKeyEntry.toString(key) + (c.isEmpty() ? "" : " " + c);
        try {
            PublicKeyLine parsed = parse(line);
            if (!parsed.comment.equals(c)) {
                throw new IllegalArgumentException("key comment \"" + c + "\" does not survive a round trip (surrounding spaces)");
            }
            return parsed;
        } catch (KeyFormatException e) {
            throw new IllegalArgumentException("MINA encoded a key we cannot read back (" + e.getMessage() + ")", e);
        }
    }

    /** The key type as written, e.g. {@code ssh-ed25519} (or {@code rsa-sha2-256}, which sshd reads as {@code ssh-rsa}). */
    public String typeName() {
        return typeName;
    }

    /** The key type as sshd understands it. */
    public KeyType type() {
        return type;
    }

    /** The base64 key blob as written. */
    public String base64() {
        return base64;
    }

    /** The comment (may contain spaces), or "" for none. */
    public String comment() {
        return comment;
    }

    /** The decoded key blob. */
    public byte[] blob() {
        return blob.clone();
    }

    /**
     * {@code SHA256:<base64 without padding>}, as {@code ssh-keygen -l} and sshd's logs print it. For a
     * certificate it is the fingerprint of the key it certifies, as ssh-keygen prints it.
     */
    public String fingerprint() {
        return fingerprint(plainBlob);
    }

    /** OpenSSH's fingerprint of a key blob: {@code SHA256:} and the unpadded base64 of its SHA-256. */
    public static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * The key as a Java {@link PublicKey} (through MINA SSHD's decoders).
     *
     * @throws KeyFormatException if the type is one MINA SSHD cannot decode (e.g. a security-key type)
     */
    public PublicKey toPublicKey() throws KeyFormatException {
        SshCrypto.requireEd25519Support();
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(type.sshName() + " " + base64).resolvePublicKey(null, Map.of(), null);
            if (key == null) {
                throw new KeyFormatException("cannot decode a " + type.sshName() + " key");
            }
            return key;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException | BufferException e) {
            // BufferException: MINA's reader of a certificate blob with a bad length field (found by CertificatesFuzzTest)
            throw new KeyFormatException("cannot decode the " + type.sshName() + " key: " + e.getMessage(), e);
        }
    }

    /** {@code type base64}: the key without its comment, as known_hosts holds it (canonical type name). */
    public String keyText() {
        return type.sshName() + " " + base64;
    }

    /** {@code type base64} or {@code type base64 comment}: the text of a {@code .pub} file, without newline (canonical type name). */
    public String toLine() {
        return comment.isEmpty() ? keyText() : keyText() + " " + comment;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKeyLine other && typeName.equals(other.typeName) && type == other.type
                && base64.equals(other.base64) && comment.equals(other.comment);
    }

    @Override
    public int hashCode() {
        return Objects.hash(typeName, type, base64, comment);
    }

    @Override
    public String toString() {
        return toLine();
    }

    private static int nextSpace(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            i++;
        }
        return i;
    }

    private static int skipSpace(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
