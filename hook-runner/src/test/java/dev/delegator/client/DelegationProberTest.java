package dev.delegator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prober against a real sshd at the protocol level: with {@code restrict} and a forced command
 * that rejects as the dispatcher does, every check is refused; the same key with no options is
 * caught on every check the line would have stopped. (The CLI's VerifyCommandTest covers a
 * delegation applied with the real dispatcher and drop-in, and each single mistake.)
 */
class DelegationProberTest {
    /** Rejects every request with the dispatcher's status and message. */
    static final String REJECTING = "#!/bin/sh\necho 'delegator: request rejected: test' >&2\nexit 126\n";

    static SshFixture fx;
    static DelegationProber prober;

    @BeforeAll
    static void start() {
        fx = SshFixture.start("prober", REJECTING);
        prober = new DelegationProber(RunOptions.defaults());
    }

    @AfterAll
    static void stop() {
        if (prober != null) {
            prober.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    static final ProbePlan PLAN = ProbePlan.of(List.of("deploy"), Optional.of("deploy"));

    @Test
    void aRestrictedKeyWithTheDispatcherIsRefusedEverything() throws Exception {
        writeLine("restrict,command=\"exec " + fx.root.resolve("forced") + "\" ");
        ProbeReport r = prober.probe(fx.target(), PLAN);
        assertTrue(r.allRefused(), r.toString());
        Map<String, ProbeCheck> c = byId(r);
        assertEquals(List.of("shell", "unknown-verb", "bad-argument", "pty", "direct-tcpip", "tcpip-forward", "agent-forwarding",
                "x11", "env", "sftp"), r.checks().stream().map(ProbeCheck::id).toList());
        assertEquals("✓ a shell request (ssh with no command): sshd ran the forced command, which rejected it "
                + "(exit 126: delegator: request rejected: test)", c.get("shell").line());
        assertEquals("✓ a command that is no declared verb ('delegator-verify-no-such-verb'): sshd ran the forced command, "
                + "which rejected it (exit 126: delegator: request rejected: test)", c.get("unknown-verb").line());
        assertEquals("✓ a pty request (ssh -t): refused by sshd (channel request failure)", c.get("pty").line());
        assertTrue(c.get("direct-tcpip").line().startsWith("✓ a direct-tcpip channel to 127.0.0.1:" + fx.sshd.port()
                + " (ssh -L, -W): refused by sshd (administratively prohibited"), c.get("direct-tcpip").line());
        assertEquals("✓ a tcpip-forward request for 127.0.0.1 (ssh -R): refused by sshd (request failure)", c.get("tcpip-forward").line());
        assertEquals("✓ an env request (LD_PRELOAD=/nonexistent/delegator-verify.so): refused by sshd (channel request failure)",
                c.get("env").line());
        // sshd drops a subsystem's stderr: the status is the evidence
        assertEquals("✓ the sftp subsystem: sshd ran the forced command, which rejected it (exit 126)", c.get("sftp").line());
    }

    @Test
    void theSameKeyWithoutOptionsIsCaughtOnEveryCheckTheLineWouldHaveStopped() throws Exception {
        writeLine("");
        try {
            ProbeReport r = prober.probe(fx.target(), PLAN);
            Map<String, ProbeCheck> c = byId(r);
            for (String id : List.of("shell", "unknown-verb", "bad-argument", "pty", "direct-tcpip", "tcpip-forward", "agent-forwarding",
                    "x11", "sftp")) {
                assertEquals(ProbeCheck.Verdict.GRANTED, c.get(id).verdict(), c.get(id).line());
            }
            assertEquals("✗ a shell request (ssh with no command): it ran: exit 0, want the dispatcher's 126", c.get("shell").line());
            assertEquals("✗ the sftp subsystem: an sftp server answered (SSH_FXP_VERSION)", c.get("sftp").line());
            assertTrue(c.get("tcpip-forward").line().startsWith("✗ a tcpip-forward request for 127.0.0.1 (ssh -R): granted: sshd listened on 127.0.0.1:"),
                    c.get("tcpip-forward").line());
            // AcceptEnv LANG LC_* (Debian's default) does not take LD_PRELOAD, with or without restrict
            assertEquals(ProbeCheck.Verdict.REFUSED, c.get("env").verdict(), c.get("env").line());
            assertTrue(!r.allRefused());
        } finally {
            writeLine("restrict,command=\"exec " + fx.root.resolve("forced") + "\" ");
        }
    }

    @Test
    void aLoginFromAnotherAddressIsRefusedByFromAndGrantedWithoutIt() throws Exception {
        try {
            writeLine("restrict,from=\"127.0.0.1\",command=\"exec " + fx.root.resolve("forced") + "\" ");
            ProbeCheck refused = prober.fromAddress(fx.target(), "127.0.0.2");
            assertEquals(ProbeCheck.Verdict.REFUSED, refused.verdict(), refused.line());
            assertTrue(refused.line().startsWith("✓ a login from 127.0.0.2 (from=): refused by sshd: authentication as "), refused.line());
            writeLine("restrict,command=\"exec " + fx.root.resolve("forced") + "\" ");
            ProbeCheck granted = prober.fromAddress(fx.target(), "127.0.0.2");
            assertEquals("✗ a login from 127.0.0.2 (from=): authenticated", granted.line());
        } finally {
            writeLine("restrict,command=\"exec " + fx.root.resolve("forced") + "\" ");
        }
    }

    @Test
    void aChangedHostKeyIsAConnectionFailureWithNoChecks() throws Exception {
        Path other = fx.root.resolve("other_known_hosts");
        Files.writeString(other, "[127.0.0.1]:" + fx.sshd.port()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq9vOoh3/fbqwhEZ55FQDj5H8RSVjzM7xXh7QQJ3kQW\n");
        ProbeReport r = prober.probe(fx.target(other), PLAN);
        assertTrue(r.checks().isEmpty(), r.toString());
        assertEquals(RunResult.CONNECTION, r.connectionFailure().orElseThrow().exitStatus());
        assertTrue(r.connectionFailure().get().message().orElseThrow().startsWith("HOST KEY CHANGED for 127.0.0.1:"), r.toString());
    }

    private static void writeLine(String options) throws Exception {
        Path authorized = fx.root.resolve("keys").resolve(fx.user.name());
        Files.writeString(authorized, options + Files.readString(Path.of(fx.key + ".pub")));
    }

    private static Map<String, ProbeCheck> byId(ProbeReport r) {
        return r.checks().stream().collect(Collectors.toMap(ProbeCheck::id, Function.identity()));
    }
}
