package dev.delegator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A fresh root-owned 0755 directory under {@code /var/lib/delegator-tests}, removed on close.
 * Not under /tmp: sshd's StrictModes refuses an authorized_keys file below a sticky world-writable
 * directory, and these directories hold files sshd reads.
 */
public final class TestRoot implements AutoCloseable {
    /** Parent of every test root; root-owned 0755 all the way up. */
    public static final Path BASE = Path.of("/var/lib/delegator-tests");

    private final Path path;

    private TestRoot(Path path) {
        this.path = path;
    }

    /** Creates a new directory named {@code prefix-<random>}. */
    public static TestRoot create(String prefix) {
        try {
            Files.createDirectories(BASE);
            Files.setPosixFilePermissions(BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path dir = BASE.resolve(prefix + "-" + randomSuffix());
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new TestRoot(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a test root under " + BASE, e);
        }
    }

    public Path path() {
        return path;
    }

    /** A path inside this root. */
    public Path resolve(String other) {
        return path.resolve(other);
    }

    static String randomSuffix() {
        byte[] bytes = new byte[3];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        deleteRecursively(path);
    }

    /** Deletes a tree, including read-only entries; used for cleanup only. */
    public static void deleteRecursively(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + p, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
    }
}
