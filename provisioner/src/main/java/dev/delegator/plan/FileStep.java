package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a file atomically with the planned content, owner and mode, provided it still holds
 * what the plan read (else {@link dev.delegator.files.FileChangedException}: someone changed it
 * meanwhile; nothing is written).
 */
record FileStep(Change change, Path path, byte[] content, FileOwner owner, Set<PosixFilePermission> mode, FileSnapshot expected) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        AtomicFile.replace(path, content, Optional.of(owner), mode, expected, ex.fileLockWait(), ex.directorySync());
    }
}
