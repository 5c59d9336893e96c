package dev.delegator.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import dev.delegator.files.FileOwner;

/** What is at a path now (never following a symlink): kind, owner, group, mode. */
public record FileStatus(Path path, Kind kind, String user, String group, Set<PosixFilePermission> mode) {
    public enum Kind { ABSENT, FILE, DIRECTORY, SYMLINK, OTHER }

    public static FileStatus of(Path path) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return new FileStatus(path, Kind.ABSENT, "", "", Set.of());
        }
        Kind k = a.isSymbolicLink() ? Kind.SYMLINK : a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
        return new FileStatus(path, k, a.owner().getName(), a.group().getName(), a.permissions());
    }

    public boolean exists() {
        return kind != Kind.ABSENT;
    }

    /** Differences from the wanted owner and mode, as readable reasons ("mode 0664, want 0644"); empty if none. */
    public List<String> drift(FileOwner owner, Set<PosixFilePermission> wanted) {
        List<String> out = new ArrayList<>();
        if (!user.equals(owner.user()) || !group.equals(owner.group())) {
            out.add("owner " + user + ":" + group + ", want " + owner);
        }
        if (!mode.equals(wanted)) {
            out.add("mode " + octal(mode) + ", want " + octal(wanted));
        }
        return out;
    }

    /**
     * Sets permissions without following a symbolic link: the JDK opens the path with
     * O_NOFOLLOW and uses fchmod, so a link swapped in after a check cannot redirect the chmod
     * (plain {@link Files#setPosixFilePermissions} follows links).
     */
    public static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setPermissions(mode);
    }

    /** {@code 0644}-style text of a permission set. */
    public static String octal(Set<PosixFilePermission> perms) {
        int v = 0;
        for (PosixFilePermission p : perms) {
            v |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", v);
    }

    /** The permission set of an octal mode (0000-0777). */
    public static Set<PosixFilePermission> perms(int mode) {
        StringBuilder s = new StringBuilder();
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        return PosixFilePermissions.fromString(s.toString());
    }
}
