package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Test prerequisites: skipped locally when missing, a failure when {@code CI=true}
 * (the team rule: in CI nothing is skipped). To be replaced by testkit's Prerequisites.
 */
final class Require {
    private Require() {}

    static void root() {
        boolean root = "root".equals(System.getProperty("user.name"));
        check(root, "these tests need root (they run a private sshd and create users)");
    }

    static void command(String path) {
        check(Files.isExecutable(Path.of(path)), path + " is not installed");
    }

    private static void check(boolean ok, String why) {
        if (ok) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("prerequisite missing in CI: " + why);
        }
        Assumptions.abort(why);
    }
}
