package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Creates an empty file (the caller's audit log) that someone else will append to. Created 0600
 * root-owned with O_EXCL and NOFOLLOW, then given its owner and mode, so it never briefly belongs
 * to the wrong account and a planted link is never followed.
 */
record EmptyFileStep(Change change, Path path, FileOwner owner, Set<PosixFilePermission> mode) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.newByteChannel(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                        PosixFilePermissions.asFileAttribute(FileStatus.perms(0600))).close();
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made meanwhile (a concurrent apply): owner and mode are set below either way
            }
        }
        if (Files.isSymbolicLink(path)) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "is a symbolic link; delegator does not follow links");
        }
        FileStatus.setMode(path, mode);
        owner.applyTo(path);
    }
}
