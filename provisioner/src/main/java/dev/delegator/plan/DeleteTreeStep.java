package dev.delegator.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removes a caller's key directory of a delegation. The private key goes first, so an
 * interrupted removal never leaves a usable key behind a missing known_hosts.
 */
record DeleteTreeStep(Change change, Path dir) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.deleteIfExists(dir.resolve("id_ed25519"));
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
