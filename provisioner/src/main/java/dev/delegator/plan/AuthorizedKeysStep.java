package dev.delegator.plan;

import dev.delegator.authorizedkeys.AuthorizedKeyLine;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.authorizedkeys.FileLine;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rewrites the managed block of one delegate's central authorized_keys file (root 0644) with
 * exactly the desired lines, keeping every other line byte for byte, or deletes the file when
 * nothing else is in it and no line is wanted. The lines are built when the step runs, so a
 * caller key generated earlier in the same apply is the one authorized. The engine refuses to
 * render a file with the same key twice (fail closed).
 */
record AuthorizedKeysStep(List<Change> changes, Path path, List<DesiredLine> lines, FileSnapshot expected) implements Step {
    AuthorizedKeysStep {
        changes = List.copyOf(changes);
        lines = List.copyOf(lines);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        FileSnapshot now = AtomicFile.read(path);
        if (!now.sameContentAs(expected)) {
            throw new dev.delegator.files.FileChangedException(path, expected, now);
        }
        Optional<byte[]> content = render(now, lines);
        if (content.isEmpty()) {
            AtomicFile.delete(path, now);
            return;
        }
        java.nio.file.Files.createDirectories(path.getParent());
        AtomicFile.replace(path, content.get(), Optional.of(FileOwner.root()), FileStatus.perms(0644), now, ex.fileLockWait());
    }

    /** The new content; empty when the file should not exist (no lines wanted, nothing of anyone else's in it). */
    static Optional<byte[]> render(FileSnapshot current, List<DesiredLine> lines) throws IOException {
        List<AuthorizedKeyLine> built = new ArrayList<>();
        for (DesiredLine d : lines) {
            d.build().ifPresent(built::add);
        }
        AuthorizedKeysFile file = current.exists()
                ? AuthorizedKeysFile.parse(current.text(), current.path().toString())
                : AuthorizedKeysFile.empty(current.path().toString());
        AuthorizedKeysFile updated = file.withManagedBlock(built);
        if (built.isEmpty() && onlyManaged(updated)) {
            return Optional.empty();
        }
        return Optional.of(updated.render().getBytes(StandardCharsets.UTF_8));
    }

    /** True when every line of the file is the (empty) managed block or blank. */
    static boolean onlyManaged(AuthorizedKeysFile f) {
        for (FileLine l : f.lines()) {
            if (!l.managed() && !l.text().isBlank() && !l.text().equals(AuthorizedKeysFile.BEGIN_MARKER)
                    && !l.text().equals(AuthorizedKeysFile.END_MARKER)) {
                return false;
            }
        }
        return true;
    }
}
