package dev.delegator.files;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * The owner a file must have: a user name and a group name, resolved at the moment they are
 * applied (through {@link UserPrincipalLookupService}, i.e. the system's passwd/group), so a
 * record can be built before the account exists (a plan) and fails clearly when it still
 * does not exist at apply time.
 *
 * @param user  the owning user's name, e.g. {@code root} or {@code hg}
 * @param group the owning group's name, e.g. {@code root} or {@code hg}
 */
public record FileOwner(String user, String group) {

    public FileOwner {
        requireName("user", user);
        requireName("group", group);
    }

    /** root:root, the owner of every file sshd trusts for a delegate (DESIGN.md, on-host layout). */
    public static FileOwner root() {
        return new FileOwner("root", "root");
    }

    /**
     * Sets this owner on {@code path} (not following a symbolic link). Call before the file is made
     * visible under its final name, so nobody ever sees it with the wrong owner.
     *
     * @throws UnknownOwnerException if the user or group does not exist on this system
     */
    public void applyTo(Path path) throws IOException {
        applyTo(path, path);
    }

    /** As {@link #applyTo(Path)}, naming {@code reportedAs} in errors (the target, when {@code path} is its temp file). */
    public void applyTo(Path path, Path reportedAs) throws IOException {
        FileSystem fs = path.getFileSystem();
        UserPrincipalLookupService lookup = fs.getUserPrincipalLookupService();
        UserPrincipal u;
        GroupPrincipal g;
        try {
            u = lookup.lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new UnknownOwnerException("no such user '" + user + "' (owner wanted for " + reportedAs + ")");
        }
        try {
            g = lookup.lookupPrincipalByGroupName(group);
        } catch (UserPrincipalNotFoundException e) {
            throw new UnknownOwnerException("no such group '" + group + "' (group wanted for " + reportedAs + ")");
        }
        PosixFileAttributeView view =
                Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(u);
        view.setGroup(g);
    }

    @Override
    public String toString() {
        return user + ":" + group;
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " name must not be empty (got " + (value == null ? "null" : "'" + value + "'") + ")");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ':' || c == '/' || Character.isWhitespace(c) || Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " name '" + value + "' contains '" + c + "' at index " + i);
            }
        }
    }
}
