package dev.delegator.it.matrix;

import static dev.delegator.it.matrix.RestrictedDelegate.MARKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.ssh.HeldSession;
import dev.delegator.it.ssh.Ssh;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md, "With restrict": a key whose line is {@code restrict,from=…,command=…} gets the
 * forced command and nothing else. Each forwarding or terminal request a client can make is
 * refused by the real sshd, and the forced command still runs (the delegation keeps working for
 * a caller whose ssh config happens to ask for more).
 */
@DisplayName("restrict on a forced-command key")
class RestrictIT {
    private static RestrictedDelegate delegate;

    @BeforeAll
    static void start() {
        delegate = RestrictedDelegate.start("dlgr");
    }

    @AfterAll
    static void stop() {
        if (delegate != null) {
            delegate.close();
        }
    }

    @BeforeEach
    void restrictedLineOnly() {
        delegate.authorize(delegate.restrictedLine());
    }

    private static String ranAs(String original) {
        return MARKER + " user=" + delegate.user().name() + " original=" + original + " ";
    }

    private static void assertForcedCommandStarted(String log) {
        assertTrue(log.contains("Starting session: forced-command (key-option) '" + delegate.forcedCommand()
                + "' for " + delegate.user().name()), log);
    }

    @Test
    @DisplayName("-L: a local forward's channel is refused by sshd, and the forced command still runs")
    void localForwardRefused() throws IOException {
        int local = FreePorts.find();
        int mark = delegate.logMark();
        // the forward's target is sshd itself: if the forward worked, the socket would read its banner
        Ssh ssh = delegate.ssh().with("-L", "127.0.0.1:" + local + ":127.0.0.1:" + delegate.sshdPort());
        CommandResult r;
        try (HeldSession session = ssh.hold("hold")) {
            session.awaitStdout("ready");
            try (Socket socket = new Socket("127.0.0.1", local)) {
                assertFalse(readToEnd(socket).contains("SSH-2.0"), "the forwarded connection must not reach sshd");
            }
            r = session.release();
        }
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains(ranAs("hold")), r::toString);
        assertTrue(r.stderr().contains("open failed: administratively prohibited"), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("refused local port forward: originator 127.0.0.1 port "), log);
        assertForcedCommandStarted(log);
    }

    @Test
    @DisplayName("-R: a remote forward is refused (nothing listens), and the forced command still runs")
    void remoteForwardRefused() {
        int remote = FreePorts.find();
        int mark = delegate.logMark();
        Ssh ssh = delegate.ssh().with("-o", "ExitOnForwardFailure=no",
                "-R", "127.0.0.1:" + remote + ":127.0.0.1:" + delegate.sshdPort());
        CommandResult r;
        try (HeldSession session = ssh.hold("hold")) {
            session.awaitStdout("ready");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", remote).close(),
                    "sshd must not listen on the requested remote port");
            r = session.release();
        }
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains(ranAs("hold")), r::toString);
        assertTrue(r.stderr().contains("Warning: remote port forwarding failed for listen port " + remote), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("tcpip-forward listen 127.0.0.1 port " + remote), "sshd saw the request: " + log);
        assertForcedCommandStarted(log);
    }

    @Test
    @DisplayName("-D: a dynamic (SOCKS) forward's channel is refused by sshd, and the forced command still runs")
    void dynamicForwardRefused() throws IOException {
        int socks = FreePorts.find();
        int mark = delegate.logMark();
        CommandResult r;
        try (HeldSession session = delegate.ssh().with("-D", "127.0.0.1:" + socks).hold("hold")) {
            session.awaitStdout("ready");
            try (Socket socket = new Socket("127.0.0.1", socks)) {
                OutputStream out = socket.getOutputStream();
                int port = delegate.sshdPort();
                // SOCKS5: no authentication, then CONNECT 127.0.0.1:<sshd port>
                out.write(new byte[] {5, 1, 0});
                out.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port});
                out.flush();
                // ssh answers the SOCKS handshake itself, so only sshd's banner would prove a connection
                assertFalse(readToEnd(socket).contains("SSH-2.0"), "the SOCKS connection must not reach the target");
            }
            r = session.release();
        }
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains(ranAs("hold")), r::toString);
        assertTrue(r.stderr().contains("open failed: administratively prohibited"), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("refused local port forward: originator 127.0.0.1 port "), log);
        assertForcedCommandStarted(log);
    }

    @Test
    @DisplayName("-A: agent forwarding is refused (no SSH_AUTH_SOCK for the delegate), and the forced command still runs")
    void agentForwardingRefused() throws Exception {
        Path socket = delegate.root().resolve("caller/agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitFile(socket);
            int mark = delegate.logMark();
            CommandResult r = delegate.ssh().withAgent(socket).with("-v").run("hello");
            assertEquals(0, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("Requesting authentication agent forwarding."), "the client asked: " + r);
            assertTrue(r.stdout().contains(ranAs("hello") + "agent=<unset> "), r::toString);
            String log = delegate.logSince(mark);
            assertTrue(log.contains("session_auth_agent_req: agent forwarding disabled"), log);
            assertForcedCommandStarted(log);
        } finally {
            agent.destroy();
            agent.waitFor();
        }
    }

    @Test
    @DisplayName("-X: X11 forwarding is refused (no DISPLAY for the delegate), and the forced command still runs")
    void x11ForwardingRefused() {
        int mark = delegate.logMark();
        CommandResult r = delegate.ssh().env("DISPLAY", ":99").with("-X").run("hello");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("X11 forwarding request failed on channel 0"), r::toString);
        assertTrue(r.stdout().contains(ranAs("hello") + "agent=<unset> display=<unset> "), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("session 0 req x11-req"), "sshd saw the request: " + log);
        assertForcedCommandStarted(log);
    }

    @Test
    @DisplayName("-t: a pty is refused; ssh -t gives up, and from a terminal the forced command runs without one")
    void ptyRefused() {
        int mark = delegate.logMark();
        // an explicit -t makes the refusal fatal for the client (clientloop.c), after sshd started the command
        CommandResult forced = delegate.ssh().with("-t", "-t").run("hello");
        assertEquals(255, forced.exitCode(), forced::toString);
        assertTrue(forced.stderr().contains("PTY allocation request failed on channel 0"), forced::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("Allocating a pty not permitted for this connection."), log);
        assertForcedCommandStarted(log);

        // from a real terminal (script(1) gives ssh one) ssh asks for a pty by itself and carries on
        String argv = delegate.ssh().argv(null).stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
        CommandResult terminal = ExternalCommand.run(List.of("script", "-qec", argv, "/dev/null"), Map.of(), new byte[0],
                Duration.ofSeconds(60));
        assertEquals(0, terminal.exitCode(), terminal::toString);
        assertTrue(terminal.stdout().contains("PTY allocation request failed on channel 0"), terminal::toString);
        assertTrue(terminal.stdout().contains(ranAs("<unset>") + "agent=<unset> display=<unset> tty=not a tty"), terminal::toString);
    }

    @Test
    @DisplayName("a shell request (no command) gets only the forced command, with SSH_ORIGINAL_COMMAND unset")
    void shellRequestGetsForcedCommand() {
        int mark = delegate.logMark();
        CommandResult r = delegate.ssh().run(null);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith(ranAs("<unset>")), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("session 0 req shell"), log);
        assertForcedCommandStarted(log);
    }

    @Test
    @DisplayName("an sftp subsystem request gets only the forced command; an sftp client gets no file access")
    void sftpSubsystemGetsForcedCommand() {
        int mark = delegate.logMark();
        CommandResult r = delegate.ssh().with("-s").run("sftp");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith(ranAs("/usr/lib/openssh/sftp-server")), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains("session 0 req subsystem"), log);
        assertForcedCommandStarted(log);

        Ssh ssh = delegate.ssh();
        CommandResult sftp = ExternalCommand.run(List.of("sftp", "-F", "/dev/null",
                "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=" + ssh.knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-i", ssh.identity().toString(),
                "-P", Integer.toString(ssh.port()), "-b", "-", ssh.user() + "@127.0.0.1"),
                Map.of(), "ls -la /\n".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
        assertEquals(255, sftp.exitCode(), sftp::toString);
        assertFalse(sftp.stdout().contains("etc"), "no directory listing: " + sftp);
    }

    /**
     * What the peer sends until it closes, or until sshd's banner shows the forward reached its
     * target (so a broken restriction fails at once instead of waiting for the read timeout, which
     * is only a safety net against a hung test).
     */
    private static String readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(60_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        int b;
        while ((b = in.read()) != -1) {
            out.write(b);
            if (out.toString(StandardCharsets.ISO_8859_1).contains("SSH-2.0")) {
                break;
            }
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static void awaitFile(Path path) throws InterruptedException {
        for (int i = 0; i < 500 && !Files.exists(path); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.exists(path), "ssh-agent did not create " + path);
    }
}
