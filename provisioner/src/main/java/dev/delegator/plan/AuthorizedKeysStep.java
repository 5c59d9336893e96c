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
 * exactly the wanted lines, keeping every other line byte for byte, or deletes the file when
 * nothing else is in it and no line is wanted. The lines are worked out when the step runs, so a
 * caller key generated earlier in the same apply is the one authorized. The engine refuses to
 * render a file with the same key twice (fail closed). apply and revoke both rewrite through it.
 */
record AuthorizedKeysStep(List<Change> changes, Path path, Block block, FileSnapshot expected) implements Step {
    AuthorizedKeysStep {
        changes = List.copyOf(changes);
        java.util.Objects.requireNonNull(block, "block");
    }

    /** What the managed block should hold, given the file as it is when the step runs. */
    @FunctionalInterface
    interface Block {
        List<AuthorizedKeyLine> lines(AuthorizedKeysFile current) throws IOException;

        /** apply's: exactly the manifest's lines (a line whose key does not exist yet is left out). */
        static Block desired(List<DesiredLine> lines) {
            List<DesiredLine> wanted = List.copyOf(lines);
            return current -> {
                List<AuthorizedKeyLine> built = new ArrayList<>();
                for (DesiredLine d : wanted) {
                    d.build().ifPresent(built::add);
                }
                return built;
            };
        }

        /** revoke's: the managed lines there are now, without the delegation's (found by its {@code delegator:NAME} comment). */
        static Block without(String delegation) {
            String comment = DesiredLine.comment(delegation);
            return current -> current.managedLines().stream().filter(l -> !l.comment().equals(comment)).toList();
        }
    }

    @Override
    public void execute(Execution ex) throws IOException {
        FileSnapshot now = AtomicFile.read(path);
        if (!now.sameContentAs(expected)) {
            throw new dev.delegator.files.FileChangedException(path, expected, now);
        }
        Optional<byte[]> content = render(now, block);
        if (content.isEmpty()) {
            AtomicFile.delete(path, now, ex.directorySync());
            return;
        }
        java.nio.file.Files.createDirectories(path.getParent());
        AtomicFile.replace(path, content.get(), Optional.of(FileOwner.root()), FileStatus.perms(0644), now, ex.fileLockWait(),
                ex.directorySync());
    }

    /** The new content; empty when the file should not exist (no lines wanted, nothing of anyone else's in it). */
    static Optional<byte[]> render(FileSnapshot current, Block block) throws IOException {
        AuthorizedKeysFile file = current.exists()
                ? AuthorizedKeysFile.parse(current.text(), current.path().toString())
                : AuthorizedKeysFile.empty(current.path().toString());
        List<AuthorizedKeyLine> built = block.lines(file);
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
