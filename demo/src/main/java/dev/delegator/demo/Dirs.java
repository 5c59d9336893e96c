package dev.delegator.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files with an explicit mode, whatever the umask of the shell that started the
 * demo: with umask 077 a plain createDirectories would make dirs the delegate and sshd's
 * StrictModes cannot use.
 */
final class Dirs {
    static final Set<PosixFilePermission> DIR_0755 = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Set<PosixFilePermission> FILE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> FILE_0755 = PosixFilePermissions.fromString("rwxr-xr-x");

    private Dirs() {}

    /** Creates {@code dir} and its missing parents, each 0755. */
    static Path create(Path dir) {
        try {
            if (Files.isDirectory(dir)) {
                return dir;
            }
            Path parent = dir.getParent();
            if (parent != null) {
                create(parent);
            }
            Files.createDirectory(dir);
            Files.setPosixFilePermissions(dir, DIR_0755);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Writes a file with the given mode (its parent created 0755). */
    static Path write(Path file, String text, Set<PosixFilePermission> mode) {
        try {
            create(file.getParent());
            Files.writeString(file, text);
            Files.setPosixFilePermissions(file, mode);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
