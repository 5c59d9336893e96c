package dev.delegator.client;

import dev.delegator.client.internal.PinnedHostKeys;
import dev.delegator.client.internal.QuickAckConnections;
import dev.delegator.client.internal.RestrictedClient;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.io.nio2.Nio2Session;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner against a real OpenSSH sshd and a real throwaway delegate account. */
class DelegationRunnerTest {
    static SshFixture fx;
    static DelegationRunner runner;

    @BeforeAll
    static void start() {
        fx = SshFixture.start("runner");
        runner = new DelegationRunner(RunOptions.defaults());
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    record Ran(RunResult result, String out, String err) {}

    static Ran run(DelegationTarget target, String... words) {
        return run(runner, target, InputStream.nullInputStream(), words);
    }

    static Ran run(DelegationRunner r, DelegationTarget target, InputStream in, String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RunResult result = r.run(target, RunRequest.of(words), in, out, err);
        return new Ran(result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void connectionsSendAtOnceAndUseTheQuickAckSession() throws Exception {
        // Nagle off for what we send, and the session type that acknowledges what sshd sends at once
        // (the latency itself is measured by bench/run-latency.sh, not asserted here)
        assertTrue(QuickAckConnections.supported(), "this JDK offers no TCP_QUICKACK on Linux");
        SshClient client = RestrictedClient.create();
        CompletableFuture<String> seen = new CompletableFuture<>();
        client.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                try {
                    Nio2Session io = (Nio2Session) session.getIoSession();
                    seen.complete(io.getClass().getSimpleName() + " nodelay="
                            + io.getSocket().getOption(StandardSocketOptions.TCP_NODELAY));
                } catch (Exception | Error e) {
                    seen.completeExceptionally(e);
                }
            }
        });
        client.start();
        try {
            client.connect("nobody", "127.0.0.1", fx.sshd.port()).verify(Duration.ofSeconds(10));
            assertEquals("QuickAckSession nodelay=true", seen.get(10, TimeUnit.SECONDS));
        } finally {
            client.stop();
        }
    }

    @Test
    void exitZeroWithOutputAndAnEd25519OnlyKnownHosts() {
        // the server also has an ECDSA host key; known_hosts pins only its ed25519 key
        Ran r = run(fx.target(), "echo", "hello");
        assertEquals(RunResult.Outcome.EXITED, r.result().outcome(), r.toString());
        assertEquals(0, r.result().exitStatus());
        assertEquals("hello\n", r.out());
        assertEquals(6, r.result().bytesOut());
    }

    @Test
    void anEcdsaOnlyKnownHostsWorksToo() throws Exception {
        // MINA proposes ed25519 first here; the pinned type must be moved to the front, or the
        // server would answer with its (unpinned) ed25519 key and look changed
        String ecdsa = Files.readString(fx.root.resolve("sshd/ssh_host_ecdsa_key.pub")).trim().split("\\s+")[1];
        Path pinned = Files.writeString(fx.root.resolve("caller/ecdsa_known_hosts"),
                "[127.0.0.1]:" + fx.sshd.port() + " ecdsa-sha2-nistp256 " + ecdsa + "\n");
        Ran r = run(fx.target(pinned), "echo", "ecdsa");
        assertEquals(0, r.result().exitStatus(), r.toString());
        assertEquals("ecdsa\n", r.out());
    }

    @Test
    void remoteStatusIsPassedThrough() {
        Ran r = run(fx.target(), "exit", "3");
        assertEquals(RunResult.Outcome.EXITED, r.result().outcome(), r.toString());
        assertEquals(3, r.result().exitStatus());
    }

    @Test
    void aSignalGives128PlusItsNumber() {
        Ran r = run(fx.target(), "kill", "-TERM", "$$");
        assertEquals(RunResult.Outcome.SIGNALLED, r.result().outcome(), r.toString());
        assertEquals(143, r.result().exitStatus());
        assertEquals("TERM", r.result().signal().orElseThrow());
    }

    @Test
    void stderrIsKeptApartFromStdout() {
        Ran r = run(fx.target(), "echo", "out;", "echo", "err", ">&2");
        assertEquals(0, r.result().exitStatus(), r.toString());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
    }

    @Test
    void stdinIsForwardedAndEndsWithEof() {
        byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        Ran r = run(runner, fx.target(), new ByteArrayInputStream(input), "cat");
        assertEquals(0, r.result().exitStatus(), r.toString());
        assertEquals("line one\nline two\n", r.out());
    }

    @Test
    void anEmptyStdinStillSendsEofSoAReaderEnds() {
        Ran r = run(fx.target(), "wc", "-c");
        assertEquals(0, r.result().exitStatus(), r.toString());
        assertEquals("0", r.out().trim());
    }

    @Test
    void twoHundredMegabytesArriveByteForByte() throws Exception {
        Path blob = fx.root.resolve("blob");
        ExternalCommand.check("sh", "-c", "head -c 200000000 /dev/urandom > " + blob + " && chmod 644 " + blob);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(blob)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                expected.update(buf, 0, n);
            }
        }
        MessageDigest actual = MessageDigest.getInstance("SHA-256");
        try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), actual)) {
            RunResult result = runner.run(fx.target(), RunRequest.of("cat", blob.toString()),
                    InputStream.nullInputStream(), out, OutputStream.nullOutputStream());
            assertEquals(0, result.exitStatus(), result.toString());
            assertEquals(200_000_000L, result.bytesOut());
        } finally {
            Files.deleteIfExists(blob);
        }
        assertArrayEquals(expected.digest(), actual.digest());
    }

    @Test
    void timeoutClosesTheChannelAndTheRemoteProcessEnds() throws Exception {
        try (DelegationRunner r = new DelegationRunner(RunOptions.defaults().withTimeout(Duration.ofSeconds(2)));
                PipedOutputStream keepOpen = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(keepOpen)) {
            Ran ran = run(r, fx.target(), stdin, "until-eof", "sleep", "1000");
            assertEquals(RunResult.Outcome.TIMED_OUT, ran.result().outcome(), ran.toString());
            assertEquals(124, ran.result().exitStatus());
            assertTrue(ran.result().message().orElseThrow().startsWith("timed out after 2 s on 127.0.0.1:"), ran.toString());
        }
        assertEventuallyNoProcessesOf(fx.user.name());
    }

    static void assertEventuallyNoProcessesOf(String user) throws InterruptedException {
        String left = "";
        for (int i = 0; i < 100; i++) {
            var pgrep = ExternalCommand.run("pgrep", "-a", "-u", user);
            if (pgrep.exitCode() == 1) {
                return;
            }
            left = pgrep.stdout();
            Thread.sleep(100);
        }
        throw new AssertionError("processes of " + user + " still running: " + left);
    }

    @Test
    void aConnectionLostMidRunIs255NotASuccess() throws Exception {
        try (PipedOutputStream keepOpen = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(keepOpen)) {
            java.util.concurrent.CompletableFuture<Ran> running = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> run(runner, fx.target(), stdin, "until-eof", "sleep", "1000"));
            for (String pid : sshdSessionProcessesOnceSleepRuns()) {
                ExternalCommand.run("kill", "-KILL", pid);
            }
            Ran r = running.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(RunResult.Outcome.CONNECTION_LOST, r.result().outcome(), r.toString());
            assertEquals(255, r.result().exitStatus());
            assertTrue(r.result().message().orElseThrow().endsWith(" lost before the command reported an exit status"),
                    r.toString());
        }
        assertEventuallyNoProcessesOf(fx.user.name());
    }

    @Test
    void aLongSilentRunOutlivesManyHeartbeats() {
        // 3 s without a byte, a keepalive every 200 ms: sshd must answer each (OpenSSH replies
        // "failure" to MINA's keepalive request), or the fifth unanswered one would end the run
        try (DelegationRunner r = new DelegationRunner(RunOptions.defaults().withHeartbeat(Duration.ofMillis(200)))) {
            Ran ran = run(r, fx.target(), InputStream.nullInputStream(), "sleep", "3;", "echo", "done");
            assertEquals(RunResult.Outcome.EXITED, ran.result().outcome(), ran.toString());
            assertEquals(0, ran.result().exitStatus());
            assertEquals("done\n", ran.out());
        }
    }

    @Test
    void aPeerThatStopsAnsweringIsNoticedByTheHeartbeat() throws Exception {
        // sshd's session processes stopped (a hung or partitioned host): TCP stays up, nothing answers;
        // with no --timeout only the unanswered keepalives can end the run
        List<String> stopped = List.of();
        try (DelegationRunner r = new DelegationRunner(RunOptions.defaults().withHeartbeat(Duration.ofMillis(300)));
                PipedOutputStream keepOpen = new PipedOutputStream();
                PipedInputStream stdin = new PipedInputStream(keepOpen)) {
            java.util.concurrent.CompletableFuture<Ran> running = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> run(r, fx.target(), stdin, "until-eof", "sleep", "1000"));
            stopped = sshdSessionProcessesOnceSleepRuns();
            for (String pid : stopped) {
                ExternalCommand.run("kill", "-STOP", pid);
            }
            Ran ran = running.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(RunResult.Outcome.CONNECTION_LOST, ran.result().outcome(), ran.toString());
            assertEquals(255, ran.result().exitStatus());
        } finally {
            for (String pid : stopped) {
                ExternalCommand.run("kill", "-KILL", pid);
            }
            ExternalCommand.run("pkill", "-KILL", "-u", fx.user.name());
        }
        assertEventuallyNoProcessesOf(fx.user.name());
    }

    /** Waits for the delegate's {@code sleep} to run, then returns the pids of sshd's processes for its session. */
    private static List<String> sshdSessionProcessesOnceSleepRuns() throws InterruptedException {
        for (int i = 0; i < 100 && ExternalCommand.run("pgrep", "-u", fx.user.name(), "-x", "sleep").exitCode() != 0; i++) {
            Thread.sleep(100);
        }
        // "sshd: user@notty" up to OpenSSH 9.7, "sshd-session: user@notty" from 9.8 on: ask the
        // private sshd for its connections' processes instead of matching a title
        List<ProcessHandle> sessions = List.of();
        for (int i = 0; i < 100 && sessions.isEmpty(); i++) {
            sessions = fx.sshd.sessionProcesses();
            if (sessions.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertTrue(!sessions.isEmpty(), "no sshd session process for " + fx.user.name());
        return sessions.stream().map(p -> Long.toString(p.pid())).toList();
    }

    @Test
    void unknownHostKeyIsRefusedWithTheLineToPin() throws Exception {
        Path empty = Files.writeString(fx.root.resolve("caller/empty_known_hosts"), "");
        Ran r = run(fx.target(empty), "echo", "never");
        assertEquals(RunResult.Outcome.CONNECTION_FAILED, r.result().outcome(), r.toString());
        assertEquals(255, r.result().exitStatus());
        String m = r.result().message().orElseThrow();
        String fp = fingerprintOf(fx.sshd.hostPublicKey());
        assertEquals("host key of 127.0.0.1:" + fx.sshd.port() + " is unknown: it offered ssh-ed25519 " + fp
                + ", and " + empty + " pins no key for it; refusing to connect; if it is the right key, add this line to "
                + empty + ": [127.0.0.1]:" + fx.sshd.port() + " " + fx.sshd.hostPublicKey(), m);
        assertEquals("", r.out());
    }

    @Test
    void changedHostKeyIsRefused() throws Exception {
        Path other = fx.root.resolve("caller/other");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        String otherPub = Files.readString(Path.of(other + ".pub")).trim().split(" ")[1];
        Path pinned = Files.writeString(fx.root.resolve("caller/changed_known_hosts"),
                "[127.0.0.1]:" + fx.sshd.port() + " ssh-ed25519 " + otherPub + "\n");
        Ran r = run(fx.target(pinned), "echo", "never");
        assertEquals(255, r.result().exitStatus(), r.toString());
        String m = r.result().message().orElseThrow();
        assertTrue(m.startsWith("HOST KEY CHANGED for 127.0.0.1:" + fx.sshd.port() + ": it offered ssh-ed25519 "
                + fingerprintOf(fx.sshd.hostPublicKey()) + " but " + pinned + " pins ssh-ed25519 "
                + fingerprintOf("ssh-ed25519 " + otherPub) + "; refusing to connect"), m);
    }

    @Test
    void connectionRefusedGives255() {
        int closedPort = FreePorts.find();
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", closedPort, fx.user.name(),
                Material.file(fx.key), Material.file(fx.knownHosts));
        Ran r = run(t, "echo", "never");
        assertEquals(RunResult.Outcome.CONNECTION_FAILED, r.result().outcome(), r.toString());
        assertEquals(255, r.result().exitStatus());
        assertEquals("cannot connect to " + fx.user.name() + "@127.0.0.1:" + closedPort + ": connection refused",
                r.result().message().orElseThrow());
    }

    @Test
    void aServerThatDropsTheConnectionBeforeIdentifyingItselfIsNamedAndRetried() throws Exception {
        // what OpenSSH 9.8+ does to a penalized address (and every sshd past MaxStartups):
        // accept, then close before the SSH version line
        try (java.net.ServerSocket dropper = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();
            Thread t = new Thread(() -> {
                while (!dropper.isClosed()) {
                    try (java.net.Socket s = dropper.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            DelegationTarget target = new DelegationTarget("test", "127.0.0.1", dropper.getLocalPort(), fx.user.name(),
                    Material.file(fx.key), Material.file(fx.knownHosts));
            try (DelegationRunner r = new DelegationRunner(RunOptions.defaults().withRetries(2)
                    .withRetryDelay(Duration.ofMillis(10)))) {
                Ran ran = run(r, target, InputStream.nullInputStream(), "echo", "never");
                assertEquals(RunResult.Outcome.CONNECTION_FAILED, ran.result().outcome(), ran.toString());
                assertEquals(255, ran.result().exitStatus());
                String m = ran.result().message().orElseThrow();
                assertTrue(m.startsWith(fx.user.name() + "@127.0.0.1:" + dropper.getLocalPort()
                        + " closed the connection before it identified itself ("), m);
                assertTrue(m.contains("likely sshd's per-source penalty for failed logins from this address (OpenSSH 9.8 and later,"
                        + " PerSourcePenalties: the server logs \"drop connection\" with \"penalty\") or its MaxStartups limit"), m);
                assertTrue(m.endsWith(" (after 3 attempts)"), m);
                assertEquals(3, accepted.get(), "nothing ran, so the drop is retried like a refused connection");
            }
        }
    }

    @Test
    void retriesConnectionFailuresOnly() {
        int closedPort = FreePorts.find();
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", closedPort, fx.user.name(),
                Material.file(fx.key), Material.file(fx.knownHosts));
        try (DelegationRunner r = new DelegationRunner(RunOptions.defaults().withRetries(2)
                .withRetryDelay(Duration.ofMillis(10)))) {
            Ran ran = run(r, t, InputStream.nullInputStream(), "echo", "never");
            assertEquals(255, ran.result().exitStatus());
            assertTrue(ran.result().message().orElseThrow().endsWith("connection refused (after 3 attempts)"), ran.toString());
            // a command that fails is never retried: it runs exactly once
            Path counter = fx.root.resolve("counter");
            Ran failing = run(r, fx.target(), InputStream.nullInputStream(), "echo", "x", ">>", counter.toString(), ";",
                    "exit", "5");
            assertEquals(5, failing.result().exitStatus());
        }
    }

    @Test
    void groupReadablePrivateKeyIsRefused() throws Exception {
        Path loose = fx.root.resolve("caller/loose_key");
        Files.copy(fx.key, loose);
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r-----"));
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", fx.sshd.port(), fx.user.name(),
                Material.file(loose), Material.file(fx.knownHosts));
        Ran r = run(t, "echo", "never");
        assertEquals(255, r.result().exitStatus());
        assertEquals(loose + " is readable by its group (mode 0640); a private key must be readable by its owner only: run: chmod 600 "
                + loose, r.result().message().orElseThrow());
    }

    @Test
    void aFileHoldingTwoKeysIsRefusedNotItsFirstKeyUsed() throws Exception {
        // the first key is the one the delegate accepts: taking it would have worked, and hidden the second
        Path two = fx.root.resolve("caller/two_keys");
        Path second = fx.root.resolve("caller/second_key");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", second.toString());
        Files.writeString(two, Files.readString(fx.key) + Files.readString(second));
        Files.setPosixFilePermissions(two, PosixFilePermissions.fromString("rw-------"));
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", fx.sshd.port(), fx.user.name(),
                Material.file(two), Material.file(fx.knownHosts));
        Ran r = run(t, "echo", "never");
        assertEquals(255, r.result().exitStatus());
        assertEquals(two + " holds more than one private key; use one key per file", r.result().message().orElseThrow());
        assertEquals("", r.out());
    }

    @Test
    void keyAndKnownHostsFromEnvironmentContents() throws Exception {
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", fx.sshd.port(), fx.user.name(),
                Material.env("KEY", Files.readString(fx.key)), Material.env("KH", Files.readString(fx.knownHosts)));
        Ran r = run(t, "echo", "env");
        assertEquals(0, r.result().exitStatus(), r.toString());
        assertEquals("env\n", r.out());
    }

    @Test
    void aKeyTheDelegateDoesNotAcceptIsAnAuthenticationFailure() throws Exception {
        Path other = fx.root.resolve("caller/stranger");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", fx.sshd.port(), fx.user.name(),
                Material.file(other), Material.file(fx.knownHosts));
        Ran r = run(t, "echo", "never");
        assertEquals(255, r.result().exitStatus());
        assertEquals("authentication as " + fx.user.name() + "@127.0.0.1:" + fx.sshd.port()
                + " refused (publickey, key " + other + ")", r.result().message().orElseThrow());
    }

    static String fingerprintOf(String publicKeyLine) throws java.io.IOException {
        return dev.delegator.keys.PublicKeyLine.parse(publicKeyLine).fingerprint();
    }
}
