package dev.delegator.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Makes {@code link} a symlink to {@code target} (a temporary link renamed over it), or with {@code target} null removes it. */
record SymlinkStep(Change change, Path link, Path target) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        if (target == null) {
            Files.deleteIfExists(link);
            return;
        }
        Files.createDirectories(link.getParent());
        Path tmp = link.resolveSibling("." + link.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, target);
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
