package dev.delegator.testkit;

import dev.delegator.localsshd.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runs a real program (ssh, useradd, hg, git) for a test and captures its output: local-sshd's
 * {@link Command} with the JVM's environment, a 2-minute time limit and failures as
 * {@link AssertionError}. The timeout is a safety net against a hung test, not a performance
 * assertion.
 */
public final class ExternalCommand {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private ExternalCommand() {}

    public static CommandResult run(List<String> command) {
        return run(command, Map.of(), null, DEFAULT_TIMEOUT);
    }

    public static CommandResult run(String... command) {
        return run(List.of(command));
    }

    /** Runs {@code command} with extra environment and optional stdin; fails the test on timeout. */
    public static CommandResult run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        // stdin is a pipe closed at once when there is none, as a test's own ProcessBuilder would give
        Command c = Command.of(command).inheritEnvironment().env(env).stdin(stdin == null ? new byte[0] : stdin).timeout(timeout);
        try {
            Command.Result r = c.run();
            return new CommandResult(r.status(), r.outBytes(), r.err());
        } catch (Command.TimedOut e) {
            throw new AssertionError("timed out after " + timeout + ": " + command, e);
        }
    }

    /** Runs and asserts exit 0, returning stdout. */
    public static String check(String... command) {
        CommandResult result = run(command);
        if (result.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + result);
        }
        return result.stdout();
    }
}
