package dev.delegator.it.vcs;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pushing client's clone (hg or git), run as the test process with no user or system config,
 * so a push carries exactly the commits a test makes (e.g. a {@code .deploy/run} script).
 */
public final class WorkingCopy {
    /** Which tool a clone belongs to. */
    public enum Tool { HG, GIT }

    private final Tool tool;
    private final Path dir;

    private WorkingCopy(Tool tool, Path dir) {
        this.tool = tool;
        this.dir = dir;
    }

    /** {@code hg clone URL DIR}. */
    public static WorkingCopy hgClone(String url, Path dir) {
        WorkingCopy copy = new WorkingCopy(Tool.HG, dir);
        copy.check(List.of("hg", "clone", "-q", url, dir.toString()), dir.getParent());
        return copy;
    }

    /** {@code git clone URL DIR}, on branch main. */
    public static WorkingCopy gitClone(String url, Path dir) {
        WorkingCopy copy = new WorkingCopy(Tool.GIT, dir);
        copy.check(List.of("git", "-c", "init.defaultBranch=main", "clone", "-q", url, dir.toString()), dir.getParent());
        return copy;
    }

    public Path dir() {
        return dir;
    }

    /** Writes a file (creating directories); {@code executable} makes it 0755, else 0644. */
    public WorkingCopy write(String path, String content, boolean executable) {
        Path file = dir.resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Adds every change and commits it; returns the new commit id (40 hex). */
    public String commit(String message) {
        if (tool == Tool.HG) {
            check(List.of("hg", "--config", "ui.username=it <it@localhost>", "commit", "-q", "-A", "-m", message), dir);
            return check(List.of("hg", "log", "-r", ".", "-T", "{node}"), dir).trim();
        }
        check(List.of("git", "add", "-A"), dir);
        check(List.of("git", "-c", "user.name=it", "-c", "user.email=it@localhost", "commit", "-q", "-m", message), dir);
        return check(List.of("git", "rev-parse", "HEAD"), dir).trim();
    }

    /** Pushes to where it was cloned from; the result carries the server's {@code remote:} lines. */
    public CommandResult push() {
        List<String> argv = tool == Tool.HG
                ? List.of("hg", "push", "--cwd", dir.toString())
                : List.of("git", "-C", dir.toString(), "push", "origin", "HEAD:refs/heads/main");
        return ExternalCommand.run(argv, env(), new byte[0], Duration.ofMinutes(5));
    }

    private String check(List<String> argv, Path cwd) {
        List<String> command = new ArrayList<>(List.of("env", "-C", cwd.toString()));
        command.addAll(argv);
        CommandResult r = ExternalCommand.run(command, env(), new byte[0], Duration.ofMinutes(2));
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", argv) + " failed: " + r);
        }
        return r.stdout();
    }

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(HgServer.ENV);
        env.putAll(GitServer.ENV);
        return env;
    }
}
