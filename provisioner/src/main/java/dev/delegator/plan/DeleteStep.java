package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileSnapshot;
import java.io.IOException;
import java.util.List;

/** Deletes a file the plan read, if it still holds what was read. */
record DeleteStep(Change change, FileSnapshot expected) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        AtomicFile.delete(expected.path(), expected);
    }
}
