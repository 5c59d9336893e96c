package dev.delegator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands {@link QuickStart} builds on their own ({@code plan}, {@code apply} and the hot
 * path's) behave as through the whole command line: the same help and the same usage errors and
 * exit codes. Runs the real entry point in a JVM of its own, since it writes to the process's
 * own stdout and stderr.
 */
class QuickStartTest {
    private static CommandResult main(String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DelegatorMain.class.getName()));
        argv.addAll(List.of(args));
        return ExternalCommand.run(argv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan", "apply"})
    void helpAndUsageErrorsAreThoseOfTheWholeCommandLine(String command) {
        CommandUnderTest.Run whole = CommandUnderTest.run(command, "--help");
        CommandResult quick = main(command, "--help");
        assertEquals(whole.status(), quick.exitCode());
        assertEquals(whole.out(), quick.stdout());

        CommandUnderTest.Run wholeBad = CommandUnderTest.run(command, "--no-such-option");
        CommandResult quickBad = main(command, "--no-such-option");
        assertEquals(ExitCodes.USAGE, quickBad.exitCode(), quickBad::toString);
        assertEquals(wholeBad.status(), quickBad.exitCode());
        assertEquals(wholeBad.err(), quickBad.stderr());
    }
}
