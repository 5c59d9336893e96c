package dev.delegator.it.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.local.RunAs;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * sshd killed (the listener and the session's processes, SIGKILL) while a delegation runs: the
 * caller's {@code delegator run} ends with 255 well within its {@code --timeout}, and nothing
 * hangs on either side: the runner's process is gone, and the dispatcher, seeing its stdin at EOF
 * and sshd's session process gone, ends the work, so no process of the delegate is left.
 */
@DisplayName("fault: sshd killed during a delegation")
class SshdKilledIT {
    private static final int TIMEOUT_SECONDS = 40;

    private static Provisioner host;
    private static TestUser ci;
    private static String delegation;
    private static String delegate;

    @BeforeAll
    static void provision() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser", "sshd", "pgrep");
        DelegatorCli.jar();
        host = Provisioner.start("sshdkill");
        ci = host.host().users().create("ci", host.dir("home"));
        String r = Provisioner.random();
        delegation = "slow-" + r;
        delegate = host.delegate("dlg-slow-" + r);
        Path slow = host.dir("bin").resolve("slow");
        Files.writeString(slow, "#!/bin/sh\necho started\nsleep 300\necho finished\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        host.apply("version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + ci.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + host.root().resolve("home").resolve(delegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      slow: {run: " + slow + "}\n"
                + "    sandbox: {timeout: 10m}\n");
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    @DisplayName("the runner exits 255 within its timeout; no runner, sshd or delegate process is left")
    void sshdKilledMidway() throws Exception {
        Path log = host.root().resolve("run.log");
        List<String> argv = RunAs.argv(ci, Map.of(), DelegatorCli.argv(List.of("run", "--manifest", host.layout().manifest().toString(),
                "--root", host.root().toString(), "--no-audit", "--timeout", TIMEOUT_SECONDS + "s", delegation, "slow")));
        Process run = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a safety net, not a performance assertion
            while (!Files.readString(log).contains("started")) {
                assertTrue(System.nanoTime() < deadline && run.isAlive(), () -> "the delegation did not start: " + read(log));
                Thread.sleep(20);
            }
            assertFalse(pgrep(delegate).isEmpty(), "the work runs as the delegate");

            // sshd's processes for this connection: "sshd" up to OpenSSH 9.7, "sshd-session" from 9.8
            List<ProcessHandle> sshds = host.host().sshd().sessionProcesses();
            assertFalse(sshds.isEmpty(), "the session has its sshd processes");
            List<ProcessHandle> runner = run.descendants().toList(); // runuser's child: the CLI's JVM
            long killedAt = System.nanoTime();
            sshds.forEach(ProcessHandle::destroyForcibly);
            host.host().sshd().kill();

            assertTrue(run.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), () -> "the runner did not end within its timeout: " + read(log));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertEquals(255, run.exitValue(), read(log));
            assertTrue(tookMillis < TIMEOUT_SECONDS * 1000L, "ended after " + tookMillis + " ms, not by the timeout");
            assertFalse(read(log).contains("finished"), read(log));
            assertTrue(runner.stream().noneMatch(ProcessHandle::isAlive), "no runner process left");

            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // a safety net, not a performance assertion
            while (!pgrep(delegate).isEmpty()) {
                assertTrue(System.nanoTime() < gone, () -> "the delegate's work is still running: " + pgrep(delegate));
                Thread.sleep(50);
            }
            assertTrue(sshds.stream().noneMatch(ProcessHandle::isAlive), "no sshd of the session is left");
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
    }

    private static String pgrep(String user) {
        return ExternalCommand.run("pgrep", "-a", "-u", user).stdout().trim();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
