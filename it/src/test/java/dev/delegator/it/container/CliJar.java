package dev.delegator.it.container;

import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CLI jar the reactor built ({@code delegator-cli/target/delegator.jar}), which container tests
 * mount into a host to run {@code delegator apply} there. It exists after {@code package}: run the
 * it module through the reactor ({@code mvn -pl it -am verify}), not on its own.
 */
public final class CliJar {
    /** System property (set by it/pom.xml) with the jar's path. */
    static final String PROPERTY = "delegator.it.cliJar";

    private CliJar() {}

    /** The jar's path; fails in CI (skips locally) when it has not been built. */
    public static Path require() {
        Path jar = Path.of(System.getProperty(PROPERTY, "../delegator-cli/target/delegator.jar")).toAbsolutePath().normalize();
        Prerequisites.require(Files.isRegularFile(jar), "the CLI jar " + jar + " (build it: mvn -B -pl it -am verify)");
        return jar;
    }
}
