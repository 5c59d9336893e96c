package dev.delegator.authorizedkeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A root-owned 0755 directory under /var/lib/delegator-tests (outside /tmp, whose sticky
 * world-writable mode StrictModes refuses), removed on close. To be replaced by testkit's TestRoot.
 */
final class TestDir implements AutoCloseable {
    private final Path path;

    TestDir() {
        Require.root();
        try {
            Path base = Path.of("/var/lib/delegator-tests");
            Files.createDirectories(base);
            Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
            path = Files.createDirectory(base.resolve("engine-" + UUID.randomUUID()));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(path)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
