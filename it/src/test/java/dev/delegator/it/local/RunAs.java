package dev.delegator.it.local;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a program as another real account the way a service would run it: {@code runuser} (no
 * login, no tty, no password), with a clean environment holding only HOME, USER, LOGNAME, a fixed
 * PATH, LANG and what the caller adds. Nothing of root's environment (or of the test JVM's)
 * reaches the program, so a test sees what the service account would see.
 */
public final class RunAs {
    static final String PATH = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";

    private RunAs() {}

    /** The argv: {@code runuser -u NAME -- env -i HOME=… … command…}. */
    public static List<String> argv(TestUser user, Map<String, String> extraEnv, List<String> command) {
        Map<String, String> env = new TreeMap<>();
        env.put("HOME", user.home().toString());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        env.put("PATH", PATH);
        env.put("LANG", "C.UTF-8");
        env.putAll(extraEnv);
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", user.name(), "--", "env", "-i"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(command);
        return argv;
    }

    /** Runs to completion with empty stdin. */
    public static CommandResult run(TestUser user, Map<String, String> extraEnv, List<String> command) {
        return ExternalCommand.run(argv(user, extraEnv, command), Map.of(), new byte[0], Duration.ofMinutes(2));
    }

    public static CommandResult run(TestUser user, String... command) {
        return run(user, Map.of(), List.of(command));
    }

    /** Runs and asserts exit 0, returning stdout. */
    public static String check(TestUser user, String... command) {
        CommandResult r = run(user, command);
        if (r.exitCode() != 0) {
            throw new AssertionError("as " + user.name() + ": " + String.join(" ", command) + " failed: " + r);
        }
        return r.stdout();
    }

    /** Starts a long-running program (a server) as the user, output to {@code log}, in {@code dir}. */
    public static Process start(TestUser user, Map<String, String> extraEnv, Path dir, Path log, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(argv(user, extraEnv, command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command + " as " + user.name(), e);
        }
    }

    /** Ends a process started by {@link #start}: its children first (runuser's child is the server). */
    public static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
