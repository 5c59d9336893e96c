package dev.delegator.cli;

import static dev.delegator.cli.CommandUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.cli.CommandUnderTest.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An unknown command is exit 2 with "unknown command", whatever follows it (--help included). */
class UnknownCommandsTest {
    @Test
    void anUnknownCommandIsAUsageErrorEvenWithHelpAfterIt() {
        for (List<String> args : List.of(List.of("bogus"), List.of("bogus", "--help"), List.of("bogus", "-V"), List.of("plna", "x"))) {
            Run r = run(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.status(), args + ": " + r);
            assertEquals("", r.out(), args::toString);
            assertEquals("delegator: unknown command '" + args.get(0) + "'; see delegator --help\n", r.err(), args::toString);
        }
    }

    @Test
    void anUnknownSubcommandIsOneToo() {
        Run r = run("authorized-keys", "bogus", "--help");
        assertEquals(ExitCodes.USAGE, r.status(), r.toString());
        assertEquals("delegator: unknown command 'bogus'; see delegator authorized-keys --help\n", r.err());
    }

    @Test
    void knownCommandsAndHelpStillWork() {
        assertEquals(ExitCodes.OK, run("--help").status());
        Run help = run("plan", "--help");
        assertEquals(ExitCodes.OK, help.status(), help.toString());
        assertEquals(true, help.out().startsWith("Usage: delegator plan"), help.out());
        // an unknown option is still picocli's usage error
        assertEquals(ExitCodes.USAGE, run("--bogus").status());
    }
}
