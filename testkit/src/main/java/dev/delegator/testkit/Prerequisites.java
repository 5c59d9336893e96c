package dev.delegator.testkit;

import dev.delegator.localsshd.Command;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Checks for what a test needs from the machine (root, a command). Locally a missing prerequisite
 * skips the test; with {@code CI=true} it fails it, because in CI a skipped security test is a
 * silent hole (the project rule: a missing prerequisite is a failure, never a skip).
 */
public final class Prerequisites {
    private Prerequisites() {}

    /** True when running under CI ({@code CI=true}). */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The test needs root (it creates system users, runs sshd, chowns files). */
    public static void requireRoot() {
        require(isRoot(), "this test needs root (it creates users and runs sshd)");
    }

    /** The test needs each command on PATH or in /usr/sbin. */
    public static void requireCommand(String... commands) {
        for (String command : commands) {
            require(findCommand(command) != null, "this test needs the command '" + command + "'");
        }
    }

    /** Skips locally, fails in CI. */
    public static void require(boolean condition, String why) {
        if (condition) {
            return;
        }
        if (inCi()) {
            Assertions.fail("prerequisite missing in CI: " + why);
        }
        Assumptions.assumeTrue(false, "prerequisite missing: " + why);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The absolute path of a command, searching PATH and the sbin directories; null when absent. */
    public static Path findCommand(String command) {
        return Command.find(command).orElse(null);
    }
}
