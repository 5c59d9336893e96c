package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.systemtools.SystemTool;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Installs sshd's RevokedKeys file: the manifest's KRL, or an empty one made by
 * {@code ssh-keygen -k} (the reference writer) when the manifest names none yet. sshd refuses
 * every public key of the users the setting applies to when the file cannot be read, so the new
 * content is first checked with {@code ssh-keygen -Q -l} (on a private copy) and then replaces
 * the old one atomically: the file is never missing, partial or unreadable.
 */
record KrlStep(Change change, Path target, Optional<Path> source, FileSnapshot expected) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        Path work = Files.createTempDirectory("delegator-krl-");
        try {
            Path copy = work.resolve("krl");
            if (source.isPresent()) {
                Files.write(copy, Files.readAllBytes(source.get()));
            } else {
                SystemTool.check(List.of("ssh-keygen", "-q", "-k", "-f", copy.toString()));
            }
            Optional<String> bad = problem(copy);
            if (bad.isPresent()) {
                throw new SystemToolException("the KRL for " + target + " does not read back (" + bad.get() + "); the installed one is kept");
            }
            byte[] content = Files.readAllBytes(copy);
            if (expected.exists() && Arrays.equals(expected.content(), content)) {
                return;
            }
            AtomicFile.replace(target, content, Optional.of(FileOwner.root()), PlanBuilder.FILE_0644, expected, ex.fileLockWait());
        } finally {
            try (var s = Files.list(work)) {
                for (Path p : s.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    /** Why sshd could not read {@code krl} as a KRL ({@code ssh-keygen -Q -l} fails), or empty. */
    static Optional<String> problem(Path krl) {
        SystemTool.Result r = SystemTool.run(List.of("ssh-keygen", "-Q", "-l", "-f", krl.toString()));
        return r.ok() ? Optional.empty() : Optional.of(r.firstErrorLine());
    }

    /** Whether {@code krl} revokes nothing ({@code ssh-keygen -Q -l} lists only comments). */
    static boolean isEmpty(Path krl) {
        SystemTool.Result r = SystemTool.run(List.of("ssh-keygen", "-Q", "-l", "-f", krl.toString()));
        return r.ok() && r.stdout().lines().allMatch(l -> l.isBlank() || l.startsWith("#"));
    }
}
