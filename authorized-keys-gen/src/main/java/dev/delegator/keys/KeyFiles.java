package dev.delegator.keys;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.DirectorySync;
import dev.delegator.files.FileOwner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Key files on disk: writing a generated pair ({@code PATH} 0600, {@code PATH.pub} 0644) and
 * loading a private key with the checks ssh makes, stricter where a delegation needs it.
 */
public final class KeyFiles {
    /** Mode of a private key file: readable by its owner only. */
    public static final Set<PosixFilePermission> PRIVATE_MODE = PosixFilePermissions.fromString("rw-------");
    /** Mode of a {@code .pub} file. */
    public static final Set<PosixFilePermission> PUBLIC_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private KeyFiles() {}

    /** The {@code .pub} file beside a private key: {@code PATH.pub}. */
    public static Path publicKeyPath(Path privateKeyPath) {
        return privateKeyPath.resolveSibling(privateKeyPath.getFileName() + ".pub");
    }

    /**
     * Checks, before the (possibly slow) generation, that {@link #writeKeyPair} can write here:
     * the directory exists and, for {@link WriteMode#CREATE_NEW}, neither file exists.
     * {@code writeKeyPair} checks again; this only spares generating a key that cannot be written.
     *
     * @throws KeyFileExistsException naming the file that exists
     * @throws NoSuchFileException naming the missing directory
     */
    public static void checkWritable(Path privateKeyPath, WriteMode mode) throws IOException {
        Path priv = privateKeyPath.toAbsolutePath().normalize();
        Path dir = priv.getParent();
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "directory " + dir + " does not exist (needed for " + priv + ")");
        }
        if (mode == WriteMode.CREATE_NEW) {
            for (Path p : new Path[] {priv, publicKeyPath(priv)}) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new KeyFileExistsException(p);
                }
            }
        }
    }

    /**
     * Writes {@code privateKeyPath} (0600) and {@code privateKeyPath.pub} (0644), each atomically
     * (temp file, fsync, owner and mode set, then renamed into place) so no reader ever sees a
     * partial or world-readable private key. The private key is written first: a crash in
     * between leaves a private key without {@code .pub}, never a {@code .pub} without its key.
     *
     * @param mode  {@link WriteMode#CREATE_NEW} refuses if either file exists and writes nothing
     * @param owner the owner of both files; empty keeps the current process's user
     * @throws KeyFileExistsException with CREATE_NEW, naming the file that exists
     * @throws NoSuchFileException if the directory does not exist
     */
    public static void writeKeyPair(Path privateKeyPath, GeneratedKeyPair keyPair, WriteMode mode, Optional<FileOwner> owner)
            throws IOException {
        writeKeyPair(privateKeyPath, keyPair, mode, owner, DirectorySync.IMMEDIATE);
    }

    /**
     * As {@link #writeKeyPair(Path, GeneratedKeyPair, WriteMode, Optional)}; with
     * {@link WriteMode#OVERWRITE} the {@code .pub}'s directory fsync is done as {@code sync} says
     * (the private key's always at once, so the key is durable before its {@code .pub}).
     */
    public static void writeKeyPair(Path privateKeyPath, GeneratedKeyPair keyPair, WriteMode mode, Optional<FileOwner> owner,
            DirectorySync sync) throws IOException {
        Path priv = privateKeyPath.toAbsolutePath().normalize();
        Path pub = publicKeyPath(priv);
        checkWritable(priv, mode);
        byte[] pubBytes = (keyPair.publicKeyLine() + "\n").getBytes(StandardCharsets.UTF_8);
        if (mode == WriteMode.OVERWRITE) {
            AtomicFile.overwrite(priv, keyPair.openSshPrivateKey(), owner, PRIVATE_MODE);
            AtomicFile.overwrite(pub, pubBytes, owner, PUBLIC_MODE, sync);
            return;
        }
        try {
            AtomicFile.create(priv, keyPair.openSshPrivateKey(), owner, PRIVATE_MODE);
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileExistsException(priv);
        }
        try {
            AtomicFile.create(pub, pubBytes, owner, PUBLIC_MODE);
        } catch (IOException e) {
            // Someone made PATH.pub in the meantime (or the write failed): take back our half,
            // so the command's "nothing written" holds.
            Files.deleteIfExists(priv);
            throw e instanceof FileAlreadyExistsException ? new KeyFileExistsException(pub) : e;
        }
    }

    /**
     * Loads an OpenSSH (or PEM) private key for unattended use: {@link #readPrivateKeyFile} then
     * {@link #decodePrivateKey}. This is delegator's one private-key policy; every user of a
     * private key (apply, keygen, the hook-runner's {@code run}) goes through these two methods.
     *
     * <p>Refused: a file group or others can read or change ({@link UnsafeKeyFileException};
     * stricter than ssh, which only checks files owned by the current user, because a leaked
     * delegation key is a delegation anyone can use), a passphrase-protected key
     * ({@link EncryptedKeyException}: delegations run unattended), and anything that is not exactly
     * one private key ({@link KeyFormatException}; a file holding several keys is refused rather than
     * its first key used, so which key authenticates never depends on the order inside a file).
     */
    public static KeyPair loadPrivateKey(Path path) throws IOException {
        return decodePrivateKey(readPrivateKeyFile(path), path.toString());
    }

    /**
     * The cheap half of {@link #loadPrivateKey}: refuses anything but a regular file readable by
     * its owner only, and reads its bytes. A client does this before connecting and leaves the
     * slower {@link #decodePrivateKey} to run during the key exchange.
     *
     * @throws UnsafeKeyFileException when its group or others may access it
     * @throws KeyFormatException when it is not a regular file
     */
    public static byte[] readPrivateKeyFile(Path path) throws IOException {
        PosixFileAttributes attrs = Files.readAttributes(path, PosixFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new KeyFormatException(path + " is not a regular file");
        }
        requirePrivateMode(path, attrs.permissions());
        return Files.readAllBytes(path);
    }

    /**
     * The expensive half of {@link #loadPrivateKey}: decodes {@code bytes} (an OpenSSH or PEM
     * private key) that came from {@code origin} (a path, or where else the text came from; named
     * in messages). For key text that never was a file (an environment variable) this is the
     * whole policy: there is no file mode to check.
     *
     * @throws EncryptedKeyException when the key has a passphrase
     * @throws KeyFormatException when the text holds no key, several keys, or cannot be read
     */
    public static KeyPair decodePrivateKey(byte[] bytes, String origin) throws IOException {
        SshCrypto.requireEd25519Support();
        FilePasswordProvider refuseEncrypted = (session, resource, retry) -> {
            throw new EncryptedKeyException(origin);
        };
        Iterable<KeyPair> pairs;
        try {
            pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(origin),
                    new ByteArrayInputStream(bytes), refuseEncrypted);
        } catch (EncryptedKeyException e) {
            throw new EncryptedKeyException(origin);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            if (e.getCause() instanceof EncryptedKeyException) {
                throw new EncryptedKeyException(origin);
            }
            throw new KeyFormatException(origin + " is not a readable private key: " + e.getMessage(), e);
        }
        Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
        if (it == null || !it.hasNext()) {
            throw new KeyFormatException(origin + " holds no private key (expected -----BEGIN OPENSSH PRIVATE KEY-----)");
        }
        KeyPair first = it.next();
        if (it.hasNext()) {
            throw new KeyFormatException(origin + " holds more than one private key; use one key per file");
        }
        return first;
    }

    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String OPENSSH_END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    /**
     * The public key an OpenSSH private key file ({@code openssh-key-v1}) stores in its clear
     * header, read without decoding the private half: what OpenSSH's
     * {@code sshkey_parse_pubkey_from_private_fileblob_type} does to load a public key from a
     * private key file without its passphrase. It costs microseconds where {@link #decodePrivateKey}
     * sets up MINA's key parsers and BouncyCastle (about 0.2 s of CPU on a cold JVM, then about a
     * millisecond per key), so a plan compares many {@code .pub} files with their private keys this
     * way. The same mode policy as {@link #readPrivateKeyFile} applies.
     *
     * @return the public key, empty when the file is not an OpenSSH private key file holding
     *         exactly one key (a PEM key, several keys, a damaged header): use {@link #loadPrivateKey}
     * @throws UnsafeKeyFileException when its group or others may access it
     */
    public static Optional<PublicKeyLine> storedPublicKey(Path path) throws IOException {
        String text = new String(readPrivateKeyFile(path), StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(OPENSSH_BEGIN) || !text.endsWith(OPENSSH_END)) {
            return Optional.empty();
        }
        String body = text.substring(OPENSSH_BEGIN.length(), text.length() - OPENSSH_END.length()).replaceAll("\\s", "");
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.util.Base64.getDecoder().decode(body));
            byte[] magic = new byte[OPENSSH_MAGIC.length];
            b.get(magic);
            if (!java.util.Arrays.equals(magic, OPENSSH_MAGIC)) {
                return Optional.empty();
            }
            for (int i = 0; i < 3; i++) {
                sshString(b); // cipher name, KDF name, KDF options
            }
            if (b.getInt() != 1) {
                return Optional.empty();
            }
            byte[] blob = sshString(b);
            String type = new String(sshString(java.nio.ByteBuffer.wrap(blob)), StandardCharsets.US_ASCII);
            // the public-key line reader checks the blob as sshd would
            return Optional.of(PublicKeyLine.parse(type + " " + java.util.Base64.getEncoder().encodeToString(blob)));
        } catch (IllegalArgumentException | java.nio.BufferUnderflowException | KeyFormatException e) {
            return Optional.empty();
        }
    }

    private static byte[] sshString(java.nio.ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IllegalArgumentException("field length " + n + " exceeds the data");
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    /** Refuses any group or other permission bit, as ssh's "UNPROTECTED PRIVATE KEY FILE" check does. */
    private static void requirePrivateMode(Path path, Set<PosixFilePermission> perms) throws UnsafeKeyFileException {
        boolean othersRead = perms.contains(PosixFilePermission.OTHERS_READ);
        boolean groupRead = perms.contains(PosixFilePermission.GROUP_READ);
        boolean others = othersRead || perms.contains(PosixFilePermission.OTHERS_WRITE) || perms.contains(PosixFilePermission.OTHERS_EXECUTE);
        boolean group = groupRead || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.GROUP_EXECUTE);
        if (!others && !group) {
            return;
        }
        String who = others ? "others" : "its group";
        String how = (others ? othersRead : groupRead) ? "readable" : "accessible";
        throw new UnsafeKeyFileException(path, path + " is " + how + " by " + who + " (mode " + octal(perms)
                + "); a private key must be readable by its owner only: run: chmod 600 " + path);
    }

    /** {@code 0644}-style octal of a permission set. */
    static String octal(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }
}
