package dev.delegator.it.matrix;

import static dev.delegator.it.matrix.RestrictedDelegate.MARKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.ssh.HeldSession;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.FreePorts;
import dev.delegator.testkit.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's sshd drop-in ({@code Match Group …}: AuthorizedKeysFile, AuthenticationMethods
 * publickey, DisableForwarding, PermitTTY no, PermitUserRC no) as a second wall behind
 * {@code restrict}: it holds even for a line that lacks {@code restrict}, applies to delegates
 * only, and its Match block ends with its file (OpenSSH 9.2), so the main config that follows
 * the Include is untouched for everyone else. Written by hand here; later rounds use the one
 * {@code delegator apply} writes.
 */
@DisplayName("the delegator sshd drop-in")
class DropInIT {
    private static RestrictedDelegate delegate;
    private static TestUser other;

    @BeforeAll
    static void start() {
        delegate = RestrictedDelegate.start("dlgd");
        other = delegate.host().users().create("dlgo", delegate.root().resolve("home"));
        // the delegate's own user group stands in for the `delegator` group, so parallel suites never share one
        delegate.host().writeDropIn("50-delegator.conf", """
                # as delegator apply writes it (DESIGN.md), for the group of delegates
                Match Group %s
                    AuthorizedKeysFile %s/%%u
                    AuthenticationMethods publickey
                    DisableForwarding yes
                    PermitTTY no
                    PermitUserRC no
                """.formatted(delegate.user().name(), delegate.authorizedKeys().getParent()));
        delegate.host().reloadSshd();
    }

    @AfterAll
    static void stop() {
        if (delegate != null) {
            delegate.close();
        }
    }

    private static List<String> effective(String user) {
        return delegate.host().effectiveConfig(user, "127.0.0.1").lines().toList();
    }

    @Test
    @DisplayName("applies to delegates only, and its Match block does not swallow the main config after the Include")
    void scopedToDelegates() {
        List<String> forDelegate = effective(delegate.user().name());
        assertTrue(forDelegate.contains("disableforwarding yes"), forDelegate::toString);
        assertTrue(forDelegate.contains("permittty no"), forDelegate::toString);
        assertTrue(forDelegate.contains("permituserrc no"), forDelegate::toString);
        assertTrue(forDelegate.contains("authenticationmethods publickey"), forDelegate::toString);
        assertTrue(forDelegate.contains("authorizedkeysfile " + delegate.authorizedKeys().getParent() + "/%u"), forDelegate::toString);

        List<String> forOther = effective(other.name());
        assertTrue(forOther.contains("disableforwarding no"), forOther::toString);
        assertTrue(forOther.contains("permittty yes"), forOther::toString);
        assertTrue(forOther.contains("permituserrc yes"), forOther::toString);
        // set by the main config after the Include line: still global
        assertTrue(forOther.contains("x11forwarding yes"), forOther::toString);
        assertTrue(forOther.contains("subsystem sftp /usr/lib/openssh/sftp-server"), forOther::toString);
    }

    @Test
    @DisplayName("refuses port forwarding and a pty even for a key line without restrict")
    void holdsWithoutRestrict() throws IOException {
        delegate.authorize(delegate.line("from=\"127.0.0.1\",command=\"" + delegate.forcedCommand() + "\""));
        try {
            int local = FreePorts.find();
            int mark = delegate.logMark();
            CommandResult r;
            try (HeldSession session = delegate.ssh().with("-L", "127.0.0.1:" + local + ":127.0.0.1:" + delegate.sshdPort())
                    .hold("hold")) {
                session.awaitStdout("ready");
                try (Socket socket = new Socket("127.0.0.1", local)) {
                    socket.setSoTimeout(60_000); // a safety net against a hung test
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    int b;
                    while ((b = socket.getInputStream().read()) != -1 && !got.toString(StandardCharsets.ISO_8859_1).contains("SSH-")) {
                        got.write(b);
                    }
                    assertFalse(got.toString(StandardCharsets.ISO_8859_1).contains("SSH-"), "the forward must not reach sshd");
                }
                r = session.release();
            }
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.stdout().contains(MARKER + " user=" + delegate.user().name() + " original=hold"), r::toString);
            assertTrue(r.stderr().contains("open failed: administratively prohibited"), r::toString);
            assertTrue(delegate.logSince(mark).contains("refused local port forward"), () -> delegate.logSince(mark));

            CommandResult pty = delegate.ssh().with("-t", "-t").run("hello");
            assertEquals(255, pty.exitCode(), pty::toString);
            assertTrue(pty.stderr().contains("PTY allocation request failed on channel 0"), pty::toString);
        } finally {
            delegate.authorize(delegate.restrictedLine());
        }
    }
}
