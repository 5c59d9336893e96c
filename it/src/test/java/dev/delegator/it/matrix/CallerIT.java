package dev.delegator.it.matrix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.local.RunAs;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SECURITY.md "Caller" through the whole stack: {@code delegator run} (the built jar, as the
 * caller account, the delegation by NAME from the manifest and the caller directory apply made)
 * against a delegate behind real sshd and the real dispatcher. Exit statuses as DESIGN.md and
 * README document them. hook-runner's own tests cover the runner in depth (200 MB, signals,
 * timeouts against a plain sshd: {@code DelegationRunnerTest}); these are the promises end to end.
 */
@DisplayName("security matrix: the caller (delegator run) against a provisioned delegate")
class CallerIT {
    private static final int BIG_LINES = 5_000_000; // about 38 MB of output

    private static Provisioner host;
    private static TestUser ci;
    private static String delegation;
    private static String delegate;

    @BeforeAll
    static void provision() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser", "sshd", "seq", "pgrep");
        DelegatorCli.jar();
        host = Provisioner.start("caller");
        ci = host.host().users().create("ci", host.dir("home"));
        String r = Provisioner.random();
        delegation = "c-" + r;
        delegate = host.delegate("dlg-c-" + r);
        Path bin = host.dir("bin");
        StringBuilder verbs = new StringBuilder();
        for (String[] v : List.of(
                new String[] {"ok", "echo ok"},
                new String[] {"fail", "echo failing >&2\nexit 3"},
                new String[] {"signal", "echo about to die\nkill -TERM $$"},
                new String[] {"streams", "echo to-stdout\necho to-stderr >&2"},
                new String[] {"hang", "echo hanging\nexec sleep 300"},
                new String[] {"big", "exec seq 1 " + BIG_LINES})) {
            Path script = bin.resolve(v[0]);
            Files.writeString(script, "#!/bin/sh\n" + v[1] + "\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            verbs.append("      ").append(v[0]).append(": {run: ").append(script).append("}\n");
        }
        host.apply("version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + ci.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + host.root().resolve("home").resolve(delegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n" + verbs
                + "    sandbox: {timeout: 10m}\n");
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    private static CommandResult run(String... extraAndVerb) {
        List<String> args = new ArrayList<>(List.of("run", "--manifest", host.layout().manifest().toString(),
                "--root", host.root().toString(), "--no-audit"));
        args.addAll(List.of(extraAndVerb));
        return RunAs.run(ci, Map.of(), DelegatorCli.argv(args));
    }

    /** The explicit (CI) form as root with the given key and known_hosts. */
    private static CommandResult explicit(Path identity, Path knownHosts) {
        return DelegatorCli.run(List.of("run", "--host", "127.0.0.1", "--port", Integer.toString(host.host().sshd().port()),
                "--user", delegate, "--identity", identity.toString(), "--known-hosts", knownHosts.toString(), "--no-audit",
                "--", "ok"), Map.of());
    }

    @Test
    @DisplayName("a remote exit status is passed through (3), with the remote stderr")
    void nonZeroExit() {
        CommandResult r = run(delegation, "fail");
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("failing"), r::toString);
    }

    @Test
    @DisplayName("a remote command killed by SIGTERM gives 143 (128+15)")
    void signal() {
        CommandResult r = run(delegation, "signal");
        assertEquals(143, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("about to die"), r::toString);
    }

    @Test
    @DisplayName("stdout and stderr are kept apart")
    void streamsApart() {
        CommandResult r = run(delegation, "streams");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("to-stdout\n", r.stdout());
        assertTrue(r.stderr().contains("to-stderr") && !r.stderr().contains("to-stdout"), r::toString);
    }

    @Test
    @DisplayName("a hang is stopped by --timeout: exit 124, and the remote work is gone afterwards")
    void timeout() throws InterruptedException {
        CommandResult r = run("--timeout", "2s", delegation, "hang");
        assertEquals(124, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("hanging"), r::toString);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // a safety net, not a performance assertion
        while (!ExternalCommand.run("pgrep", "-u", delegate).stdout().isBlank()) {
            assertTrue(System.nanoTime() < deadline, "the remote work still runs: " + ExternalCommand.run("pgrep", "-a", "-u", delegate));
            Thread.sleep(50);
        }
    }

    @Test
    @DisplayName("a large output (about 38 MB) arrives byte for byte (same SHA-256 as running the command here)")
    void largeOutput() throws Exception {
        CommandResult r = run(delegation, "big");
        assertEquals(0, r.exitCode(), r.stderr());
        byte[] expected = ExternalCommand.run(List.of("seq", "1", Integer.toString(BIG_LINES)), Map.of(), new byte[0],
                java.time.Duration.ofMinutes(1)).stdoutBytes();
        assertEquals(expected.length, r.stdoutBytes().length);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(sha.digest(expected), MessageDigest.getInstance("SHA-256").digest(r.stdoutBytes()));
    }

    @Test
    @DisplayName("an unknown host key refuses to connect: exit 255 with the documented message, nothing runs")
    void unknownHostKey() throws IOException {
        Path empty = host.root().resolve("empty_known_hosts");
        Files.writeString(empty, "");
        CommandResult r = explicit(host.layout().callerKey(ci.name(), delegation), empty);
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("host key of 127.0.0.1:" + host.host().sshd().port() + " is unknown: it offered ssh-ed25519 SHA256:"),
                r::toString);
        assertTrue(r.stderr().contains("refusing to connect"), r::toString);
        assertFalse(r.stdout().contains("ok"), r::toString);
    }

    @Test
    @DisplayName("a changed host key refuses to connect: exit 255, HOST KEY CHANGED, nothing runs")
    void changedHostKey() throws IOException {
        ClientKey other = ClientKey.generate(host.dir("otherkey"), "id_ed25519");
        Path pinned = host.root().resolve("wrong_known_hosts");
        Files.writeString(pinned, "[127.0.0.1]:" + host.host().sshd().port() + " " + other.publicKey() + "\n");
        CommandResult r = explicit(host.layout().callerKey(ci.name(), delegation), pinned);
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("HOST KEY CHANGED for 127.0.0.1:" + host.host().sshd().port()), r::toString);
        assertFalse(r.stdout().contains("ok"), r::toString);
    }

    @Test
    @DisplayName("a private key readable by others is refused before connecting")
    void keyReadableByOthersRefused() throws IOException {
        Path copy = host.root().resolve("readable_id_ed25519");
        Files.copy(host.layout().callerKey(ci.name(), delegation), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        Path knownHosts = host.host().sshd().writeKnownHosts(host.root().resolve("right_known_hosts"));
        CommandResult r = explicit(copy, knownHosts);
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains(copy + " is readable by others (mode 0644); a private key must be readable by its owner only"), r::toString);
        assertFalse(r.stdout().contains("ok"), r::toString);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        CommandResult fixed = explicit(copy, knownHosts);
        assertEquals(0, fixed.exitCode(), fixed::toString);
    }
}
