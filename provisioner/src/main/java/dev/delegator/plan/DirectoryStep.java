package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Makes a directory exist with an owner and mode. A new directory is created 0700 root-owned
 * and only then given its owner and mode, so it is never briefly open to others.
 */
record DirectoryStep(Category category, Path path, FileOwner owner, Set<PosixFilePermission> mode, Action action, String reason, String delegation)
        implements Step {
    @Override
    public List<Change> changes() {
        return List.of(Change.of(category, action, "directory " + path, reason, delegation));
    }

    @Override
    public void execute(Execution ex) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new java.nio.file.FileSystemException(path.toString(), null, "is a symbolic link; delegator does not follow links");
        }
        if (!Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            try {
                Files.createDirectory(path, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(FileStatus.perms(0700)));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another process made it: we fix owner and mode below either way
            }
        }
        owner.applyTo(path);
        FileStatus.setMode(path, mode);
    }
}
