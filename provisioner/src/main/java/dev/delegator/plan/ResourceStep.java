package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import dev.delegator.manifest.Resource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;

/**
 * Creates a resource path (parents root 0755) and sets its owner and mode. New paths are created
 * 0700 and then given owner and mode, so they are never briefly wider than declared.
 */
record ResourceStep(Change change, Resource resource, FileOwner owner) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        var p = resource.path();
        if (Files.isSymbolicLink(p)) {
            throw new java.nio.file.FileSystemException(p.toString(), null, "is a symbolic link; delegator does not follow links for resources");
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(p.getParent());
            try {
                var attr = java.nio.file.attribute.PosixFilePermissions.asFileAttribute(FileStatus.perms(0700));
                if (resource.kind() == Resource.Kind.DIR) {
                    Files.createDirectory(p, attr);
                } else {
                    Files.createFile(p, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(FileStatus.perms(0600)));
                }
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: owner and mode are set below either way
            }
        }
        owner.applyTo(p);
        FileStatus.setMode(p, FileStatus.perms(resource.mode()));
    }
}
