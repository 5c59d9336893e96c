package dev.delegator.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.ExternalCommand;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs on kept connections (what the caller's agent does) against a real sshd: the results are the
 * one-connection-per-run results (DelegationRunnerTest), the connection is kept only after a run
 * that ended by itself, and a kept connection the server dropped is replaced once.
 */
class ConnectionPoolTest {
    SshFixture fx;
    ConnectionPool pool;

    @BeforeEach
    void start() {
        fx = SshFixture.start("pool");
        pool = new ConnectionPool(RunOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    record Ran(RunResult result, String out, String err) {}

    Ran run(RunOptions options, InputStream in, String... words) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (DelegationRunner r = new DelegationRunner(options, pool)) {
            RunResult result = r.run(fx.target(), RunRequest.of(words), in, out, err);
            return new Ran(result, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    Ran run(String... words) {
        return run(RunOptions.defaults(), InputStream.nullInputStream(), words);
    }

    long accepted() {
        return fx.sshd.logText().lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    @Test
    void statusSignalStderrAndStdinAreAsWithoutAPoolOnOneConnection() {
        Ran exit = run("exit", "3");
        assertEquals(RunResult.Outcome.EXITED, exit.result().outcome(), exit.toString());
        assertEquals(3, exit.result().exitStatus());
        Ran signal = run("kill", "-TERM", "$$");
        assertEquals(RunResult.Outcome.SIGNALLED, signal.result().outcome(), signal.toString());
        assertEquals(143, signal.result().exitStatus());
        Ran streams = run("echo", "out;", "echo", "err", ">&2");
        assertEquals("out\n", streams.out());
        assertEquals("err\n", streams.err());
        Ran cat = run(RunOptions.defaults(), new ByteArrayInputStream("line\n".getBytes(StandardCharsets.UTF_8)), "cat");
        assertEquals("line\n", cat.out(), cat.toString());
        Ran empty = run("wc", "-c");
        assertEquals("0", empty.out().trim(), "EOF on an empty stdin");
        assertEquals(1, accepted(), "five runs, one connection: " + fx.sshd.logText());
        assertEquals(1, pool.describe().size(), pool.describe().toString());
    }

    @Test
    void twentyMegabytesArriveByteForByteOnAKeptConnection() {
        byte[] data = new byte[20_000_000];
        new Random(11).nextBytes(data);
        for (int i = 0; i < 2; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DelegationRunner r = new DelegationRunner(RunOptions.defaults(), pool)) {
                RunResult result = r.run(fx.target(), RunRequest.of("cat"), new ByteArrayInputStream(data), out, new ByteArrayOutputStream());
                assertEquals(0, result.exitStatus(), result.toString());
            }
            assertArrayEquals(data, out.toByteArray(), "run " + i);
        }
        assertEquals(1, accepted());
    }

    @Test
    void aTimedOutRunEndsTheRemoteWorkAndItsConnectionIsNotKept() throws Exception {
        try (PipedOutputStream keepOpen = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(keepOpen)) {
            Ran r = run(RunOptions.defaults().withTimeout(Duration.ofSeconds(2)), stdin, "until-eof", "sleep", "1000");
            assertEquals(124, r.result().exitStatus(), r.toString());
        }
        DelegationRunnerTest.assertEventuallyNoProcessesOf(fx.user.name());
        assertEquals(0, pool.describe().size(), "closed, not kept");
        Ran next = run("echo", "next");
        assertEquals("next\n", next.out(), next.toString());
        assertEquals(2, accepted());
    }

    @Test
    void aCancelledRunEndsTheRemoteWorkAndItsConnectionIsNotKept() throws Exception {
        run("true");
        try (PipedOutputStream keepOpen = new PipedOutputStream(); PipedInputStream stdin = new PipedInputStream(keepOpen);
                DelegationRunner r = new DelegationRunner(RunOptions.defaults(), pool)) {
            CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> r.run(fx.target(),
                    RunRequest.of("until-eof", "sleep", "1000"), stdin, new ByteArrayOutputStream(), new ByteArrayOutputStream()));
            for (int i = 0; i < 200 && ExternalCommand.run("pgrep", "-u", fx.user.name(), "-x", "sleep").exitCode() != 0; i++) {
                Thread.sleep(50);
            }
            r.cancelAll(130);
            RunResult result = running.get(30, TimeUnit.SECONDS);
            assertEquals(RunResult.Outcome.CANCELLED, result.outcome(), result.toString());
            assertEquals(130, result.exitStatus());
        }
        DelegationRunnerTest.assertEventuallyNoProcessesOf(fx.user.name());
        assertEquals(0, pool.describe().size());
    }

    @Test
    void aKeptConnectionTheServerDroppedIsReplacedOnceBeforeTheCommandStarts() throws Exception {
        assertEquals("one\n", run("echo", "one").out());
        // sshd's processes for the kept connection go away (the host restarted sshd); the listener stays
        for (ProcessHandle h : fx.sshd.sessionProcesses()) {
            h.destroyForcibly();
        }
        ExternalCommand.run("pkill", "-KILL", "-u", fx.user.name());
        Thread.sleep(200);
        Ran r = run("echo", "two");
        assertEquals(0, r.result().exitStatus(), r.toString());
        assertEquals("two\n", r.out());
        assertEquals("", r.err());
        assertEquals(2, accepted(), "one reconnection: " + fx.sshd.logText());
    }

    @Test
    void aRunWithTheServerGoneIs255AndNotRetriedForever() throws Exception {
        assertEquals("one\n", run("echo", "one").out());
        fx.sshd.kill();
        for (ProcessHandle h : fx.sshd.sessionProcesses()) {
            h.destroyForcibly();
        }
        ExternalCommand.run("pkill", "-KILL", "-u", fx.user.name());
        Thread.sleep(200);
        Ran r = run("echo", "two");
        assertEquals(255, r.result().exitStatus(), r.toString());
        assertTrue(r.result().message().orElseThrow().contains("connection refused"), r.toString());
    }
}
