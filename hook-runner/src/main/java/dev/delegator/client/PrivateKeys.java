package dev.delegator.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Loads the one private key a delegation authenticates with. A key file that its group or others
 * may read is refused, as ssh does ("UNPROTECTED PRIVATE KEY FILE"): a leaked caller key runs the
 * delegation. Keys must be passwordless (a hook has nobody to type a passphrase).
 */
public final class PrivateKeys {
    private PrivateKeys() {}

    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /**
     * Reads and decodes the key.
     *
     * @throws KeyRefusedException when the file is group/other-accessible, unreadable, encrypted or not a key
     */
    public static KeyPair load(Material material) throws KeyRefusedException {
        return decode(material, read(material));
    }

    /**
     * The cheap half of {@link #load}: refuses a group/other-accessible key file and reads the bytes.
     * The runner does this before connecting and decodes while the key exchange runs.
     */
    static byte[] read(Material material) throws KeyRefusedException {
        Ed25519Crypto.install();
        if (material instanceof Material.FromFile f) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f.path(), LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
                loose.addAll(perms);
                loose.retainAll(GROUP_OR_OTHER);
                if (!loose.isEmpty()) {
                    throw new KeyRefusedException("private key " + f.path() + " is accessible by group or others (mode "
                            + PosixFilePermissions.toString(perms) + "); run: chmod 600 " + f.path());
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing to check
            } catch (IOException e) {
                throw new KeyRefusedException("cannot read private key " + f.path() + ": " + reason(e), e);
            }
        }
        try {
            return material.read();
        } catch (IOException e) {
            throw new KeyRefusedException("cannot read private key " + material.origin() + ": " + reason(e), e);
        }
    }

    /**
     * Empty when the key's bytes can be read; else one line naming the file once, e.g.
     * {@code cannot read private key /x/id_ed25519: no such file}. A missing or unreadable key is a
     * local input problem, found before any connection is tried.
     */
    public static Optional<String> unreadable(Material material) {
        if (!(material instanceof Material.FromFile f)) {
            return Optional.empty();
        }
        Path p = f.path();
        String why = !Files.exists(p) ? "no such file" : Files.isDirectory(p) ? "is a directory" : !Files.isReadable(p) ? "permission denied" : null;
        return why == null ? Optional.empty() : Optional.of("cannot read private key " + p + ": " + why);
    }

    /** The expensive half of {@link #load}: parses the key (OpenSSH or PEM, passwordless). */
    static KeyPair decode(Material material, byte[] bytes) throws KeyRefusedException {
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(material.origin()),
                    new ByteArrayInputStream(bytes), FilePasswordProvider.EMPTY);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new KeyRefusedException("no private key found in " + material.origin()
                        + " (expected an OpenSSH or PEM private key)");
            }
            return it.next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new KeyRefusedException("cannot load private key " + material.origin() + ": " + reason(e)
                    + " (delegator keys are passwordless OpenSSH keys)", e);
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
