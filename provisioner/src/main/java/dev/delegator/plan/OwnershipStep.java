package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/** Sets owner and mode of an existing file in place (a private key whose mode drifted). */
record OwnershipStep(Change change, Path path, FileOwner owner, Set<PosixFilePermission> mode) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        // mode first: tightening before a chown never widens access, even for a moment
        FileStatus.setMode(path, mode);
        owner.applyTo(path);
    }
}
