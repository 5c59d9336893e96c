package dev.delegator.cli.verify;

import static dev.delegator.cli.CommandUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.CommandUnderTest.Run;
import dev.delegator.cli.ExitCodes;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * verify's command line: usage errors and the promise --help makes. What it finds on a live host
 * is proven against real sshd, apply and the dispatcher by it/'s VerifyIT, and at the protocol
 * level by hook-runner's DelegationProberTest.
 */
class VerifyCommandTest {
    @Test
    void helpSaysItNeverRunsTheRealVerbsAndNeverWrites() {
        Run r = run("verify", "--help");
        assertEquals(ExitCodes.OK, r.status(), r.toString());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("It never runs a verb with valid arguments (no real work runs) and never writes on the host."), help);
        assertTrue(help.contains("255 a host could not be reached, authenticated or verified"), help);
    }

    @Test
    void usageErrorsExitTwo() {
        Run none = run("verify");
        assertEquals(ExitCodes.USAGE, none.status(), none.toString());
        assertTrue(none.err().contains("name the delegations to verify, or give --all (or --host for the explicit form)"), none.err());
        Run both = run("verify", "--all", "blog");
        assertEquals(ExitCodes.USAGE, both.status(), both.toString());
        Run verb = run("verify", "--verb", "deploy", "blog");
        assertEquals(ExitCodes.USAGE, verb.status(), verb.toString());
        assertTrue(verb.err().contains("--verb belongs to the explicit form"), verb.err());
        Run explicitWithName = run("verify", "--host", "127.0.0.1", "blog");
        assertEquals(ExitCodes.USAGE, explicitWithName.status(), explicitWithName.toString());
        Run noUser = run("verify", "--host", "127.0.0.1", "--identity", "k", "--known-hosts", "kh");
        assertEquals(ExitCodes.USAGE, noUser.status(), noUser.toString());
        assertTrue(noUser.err().contains("the explicit form needs --user"), noUser.err());
    }

    @Test
    void anUnknownDelegationIsInvalidInput() throws Exception {
        try (TestRoot root = TestRoot.create("verifycli")) {
            Path m = root.resolve("m.yaml");
            Files.writeString(m, "version: 1\ndelegations: {}\n");
            Run r = run("verify", "--manifest", m.toString(), "nosuch");
            assertEquals(ExitCodes.INVALID_INPUT, r.status(), r.toString());
            assertTrue(r.err().contains("no delegation named nosuch in " + m), r.err());
            Run all = run("verify", "--manifest", m.toString(), "--all");
            assertEquals(ExitCodes.OK, all.status(), all.toString());
            assertEquals("no delegation has its caller or delegate on this host\n", all.out());
        }
    }
}
