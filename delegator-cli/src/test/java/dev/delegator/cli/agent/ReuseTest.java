package dev.delegator.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.run.Delegates;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What only connection reuse has (README "Connection reuse"): the agent's life (start by the
 * manifest's setting, idle end, SIGTERM, stop, a changed file, dying mid-request), its connection
 * (kept for hundreds of requests, reconnected once after sshd restarted), its security (another
 * uid refused, an unsafe directory never used, no secret material from the environment) and the
 * light client's class set. The behaviour both modes share is in RunCommandTest and HookPushTest,
 * which run in both.
 */
class ReuseTest {
    static final String NODE = "0123456789abcdef0123456789abcdef01234567";

    static List<String> explicit(Delegates d, String... request) {
        List<String> a = new ArrayList<>(List.of("run", "--no-audit", "--host", "127.0.0.1", "--port", String.valueOf(d.servers.get(0).port()),
                "--user", d.user.name(), "--identity", d.key.toString(), "--known-hosts", d.knownHosts.toString(), "--"));
        a.addAll(List.of(request));
        return a;
    }

    static String[] args(List<String> a) {
        return a.toArray(String[]::new);
    }

    static long accepted(String sshdLog) {
        return sshdLog.lines().filter(l -> l.contains("Accepted publickey")).count();
    }

    static void awaitExit(long pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("agent " + pid + " did not end", e);
            }
        });
    }

    @Test
    void theManifestsCallerSettingStartsTheAgentAndTheNextRunsUseIt() throws Exception {
        try (Delegates d = Delegates.start("mreuse", 1)) {
            Path manifest = d.manifest();
            Files.writeString(manifest, Files.readString(manifest).replace("caller: {user: root}", "caller: {user: root, reuse: 60s}"));
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("mreuse", "deploy", NODE));
            for (int i = 0; i < 3; i++) {
                CommandResult r = d.delegator(d.environment(), null, args(a));
                assertEquals(0, r.exitCode(), r.toString());
                assertEquals("deployed " + NODE + " as " + d.user.name() + "\n", r.stdout());
                assertEquals("", r.stderr());
            }
            assertEquals(3, d.agentRuns(), d.agentLog());
            assertEquals(3, Files.readAllLines(d.auditLog).size(), "the agent writes the audit line");
            assertEquals(1, accepted(d.servers.get(0).logText()), "one connection for three runs: " + d.servers.get(0).logText());
            CommandResult status = d.delegator(d.environment(), null, "agent", "status");
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(status.stdout().contains("requests: 3 (0 running)\n"), status.stdout());
            assertTrue(status.stdout().contains("idle connections: 1\n  " + d.user.name() + "@127.0.0.1:" + d.servers.get(0).port() + "\n"),
                    status.stdout());
            assertTrue(status.stdout().contains("idle: ends after 60 s without a request"), status.stdout());
        }
    }

    /** Changes the fixture's manifest (a comment more) after the agent first read it; its path. */
    private static Path editManifest(Delegates d) throws java.io.IOException {
        Files.writeString(d.manifest(), Files.readString(d.manifest()) + "# edited\n");
        return d.manifest();
    }

    @Test
    void anEditedManifestEndsTheAgentAndTheRunGoesAheadWithoutIt() throws Exception {
        try (Delegates d = Delegates.start("medit", 1, Delegates.Mode.REUSE)) {
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("medit", "deploy", NODE));
            CommandResult r = d.delegator(Map.of(), null, args(a));
            assertEquals(0, r.exitCode(), r.toString());
            long pid = d.agentPid().orElseThrow();
            Path manifest = editManifest(d);
            CommandResult after = d.delegator(Map.of(), null, args(a));
            assertEquals(0, after.exitCode(), after.toString());
            assertEquals("deployed " + NODE + " as " + d.user.name() + "\n", after.stdout());
            assertTrue(d.agentLog().contains("ending: " + manifest + " changed"), d.agentLog());
            awaitExit(pid);
            assertEquals(2, Files.readAllLines(d.auditLog).size(), "both runs audited");
        }
    }

    @Test
    void aGitHookTheAgentDeclinesRunsInItsOwnProcessWithTheRefsItWasGiven() throws Exception {
        // the Perl light client reads post-receive's ref list before asking the agent; declined (the
        // manifest changed), it hands the list on to the JVM as its stdin, which runs the hook itself
        try (Delegates d = Delegates.start("gdecl", 1, Delegates.Mode.REUSE)) {
            long pid = d.agentPid().orElseThrow();
            String sha = "3f2a9c".repeat(6) + "3f2a";
            byte[] refs = ("0".repeat(40) + " " + sha + " refs/heads/main\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            List<String> a = new ArrayList<>(List.of("hook", "git", "gdecl", "--ref", "main"));
            a.addAll(d.layoutOptions());
            // the agent's first request read the manifest: it now knows the file as it was
            CommandResult first = d.delegator(Map.of(), refs, args(a));
            assertEquals(0, first.exitCode(), first.toString());
            d.assertAgentRan(1);
            Path manifest = editManifest(d);
            CommandResult r = d.delegator(Map.of(), refs, args(a));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("deployed " + sha + " refs/heads/main as " + d.user.name() + "\n", r.stdout());
            assertTrue(d.agentLog().contains("ending: " + manifest + " changed"), d.agentLog());
            assertTrue(d.agentLog().lines().anyMatch(l -> l.contains(" request hook git ") && l.contains(": declined, ")), d.agentLog());
            awaitExit(pid);
            assertEquals(2, Files.readAllLines(d.auditLog).size(), "through the agent, then in its own process");
            assertEquals(2, d.agentRuns(), "the fixture's request and the first hook: " + d.agentLog());
        }
    }

    @Test
    void twoHundredRequestsInARowGoThroughOneAgentOnOneConnection() {
        try (Delegates d = Delegates.start("many", 1, Delegates.Mode.REUSE)) {
            for (int i = 0; i < 200; i++) {
                CommandResult r = d.delegator(Map.of(), null, args(explicit(d, "deploy", "n" + i)));
                assertEquals(0, r.exitCode(), "request " + i + ": " + r);
                assertEquals("deployed n" + i + " as " + d.user.name() + "\n", r.stdout(), "request " + i);
            }
            assertEquals(201, d.agentRuns());
            assertEquals(1, d.agentLog().lines().filter(l -> l.contains(" started, pid ")).count(), d.agentLog());
            assertEquals(1, accepted(d.servers.get(0).logText()), "one SSH connection for all of them");
        }
    }

    @Test
    void theAgentDyingMidRequestIs255AndTheNextRunStartsANewOne() throws Exception {
        try (Delegates d = Delegates.start("dies", 1, Delegates.Mode.REUSE)) {
            long first = d.agentPid().orElseThrow();
            Path output = d.root.resolve("dies.out");
            ProcessBuilder pb = new ProcessBuilder(d.command(args(explicit(d, "until-eof", "sleep", "1000"))))
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(d.environment());
            Process p = pb.start();
            for (int i = 0; i < 200 && ExternalCommand.run("pgrep", "-u", d.user.name(), "-x", "sleep").exitCode() != 0; i++) {
                Thread.sleep(50);
            }
            ExternalCommand.check("kill", "-KILL", String.valueOf(first));
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(255, p.exitValue(), Files.readString(output));
            assertEquals("delegator: the connection agent (" + d.agentDir.resolve("agent.sock") + ") ended before the request finished\n",
                    Files.readString(output));
            // its connection went with it: sshd ends the session, the dispatcher stand-in sees EOF
            for (int i = 0; i < 100 && ExternalCommand.run("pgrep", "-u", d.user.name()).exitCode() == 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(1, ExternalCommand.run("pgrep", "-u", d.user.name()).exitCode(), "remote processes left");
            CommandResult next = d.delegator(Map.of(), null, args(explicit(d, "deploy", "again")));
            assertEquals(0, next.exitCode(), next.toString());
            assertEquals("deployed again as " + d.user.name() + "\n", next.stdout());
            assertTrue(d.agentPid().orElseThrow() != first, "a new agent: " + d.agentLog());
        }
    }

    @Test
    void afterSshdRestartedTheAgentReconnectsOnce() throws Exception {
        try (Delegates d = Delegates.start("restart", 1, Delegates.Mode.REUSE)) {
            var sshd = d.servers.get(0);
            // the host's sshd goes away with every connection it had, then comes back on the same port
            sshd.kill();
            for (ProcessHandle h : sshd.sessionProcesses()) {
                h.destroyForcibly();
            }
            ExternalCommand.run("pkill", "-KILL", "-u", d.user.name());
            Path log = d.root.resolve("sshd-again.log");
            Process again = new ProcessBuilder("/usr/sbin/sshd", "-D", "-f", sshd.configFile().toString(), "-E", log.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                for (int i = 0; i < 200 && !(Files.exists(log) && Files.readString(log).contains("Server listening")); i++) {
                    Thread.sleep(25);
                }
                CommandResult r = d.delegator(Map.of(), null, args(explicit(d, "deploy", "after-restart")));
                assertEquals(0, r.exitCode(), r + "\n" + d.agentLog());
                assertEquals("deployed after-restart as " + d.user.name() + "\n", r.stdout());
                assertEquals("", r.stderr());
                assertEquals(1, accepted(Files.readString(log)), "one new connection: " + Files.readString(log));
                CommandResult second = d.delegator(Map.of(), null, args(explicit(d, "deploy", "kept")));
                assertEquals(0, second.exitCode(), second.toString());
                assertEquals(1, accepted(Files.readString(log)), "and it is kept");
                d.assertAgentRan(2);
            } finally {
                again.destroy();
                again.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aConnectionFromAnotherUidIsRefused() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("setpriv", "python3");
        try (Delegates d = Delegates.start("uid", 1, Delegates.Mode.REUSE); TestUsers users = new TestUsers()) {
            TestUser other = users.create("du", d.root.resolve("homes"));
            Path socket = d.agentDir.resolve("agent.sock");
            // take the directory's protection away, so the peer check alone must refuse
            Files.setPosixFilePermissions(d.agentDir, PosixFilePermissions.fromString("rwx--x--x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            String client = """
                    import socket, sys
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                    s.connect(sys.argv[1])
                    try:
                        s.sendall(bytes([5, 0, 0, 0, 0]))
                        data = s.recv(4096)
                    except (BrokenPipeError, ConnectionResetError):
                        data = b""
                    print("connected; answer: %d bytes" % len(data))
                    """;
            CommandResult r = ExternalCommand.run(List.of("setpriv", "--reuid", String.valueOf(other.uid()), "--regid",
                    String.valueOf(other.gid()), "--clear-groups", "/usr/bin/python3", "-c", client, socket.toString()),
                    Map.of(), null, Duration.ofSeconds(30));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("connected; answer: 0 bytes\n", r.stdout());
            for (int i = 0; i < 50 && !d.agentLog().contains("refused a connection from user " + other.name()); i++) {
                Thread.sleep(100);
            }
            assertTrue(d.agentLog().contains("refused a connection from user " + other.name() + ": only root may use this agent"),
                    d.agentLog());
            Files.setPosixFilePermissions(d.agentDir, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            CommandResult mine = d.delegator(Map.of(), null, args(explicit(d, "deploy", "mine")));
            assertEquals(0, mine.exitCode(), mine.toString());
            d.assertAgentRan(1);
        }
    }

    @Test
    void statusThenStopThenNoAgent() throws Exception {
        try (Delegates d = Delegates.start("stop", 1, Delegates.Mode.REUSE)) {
            long pid = d.agentPid().orElseThrow();
            CommandResult status = d.delegator(Map.of(), null, "agent", "status");
            assertEquals(0, status.exitCode(), status.toString());
            assertTrue(status.stdout().startsWith("agent: pid " + pid + ", running since "), status.stdout());
            assertTrue(status.stdout().contains("idle connections: 1\n"), status.stdout());
            CommandResult stop = d.delegator(Map.of(), null, "agent", "stop");
            assertEquals(0, stop.exitCode(), stop.toString());
            assertEquals("stopped the agent (pid " + pid + ")\n", stop.stdout());
            awaitExit(pid);
            CommandResult none = d.delegator(Map.of(), null, "agent", "status");
            assertEquals(1, none.exitCode(), none.toString());
            assertEquals("no agent running (" + d.agentDir.resolve("agent.sock") + ")\n", none.stdout());
            assertFalse(Files.exists(d.agentDir.resolve("agent.sock")));
        }
    }

    @Test
    void anIdleAgentEndsAfterItsReuseDuration() throws Exception {
        try (Delegates d = Delegates.start("idle", 1)) {
            List<String> a = explicit(d, "deploy", "once");
            a.addAll(1, List.of("--reuse", "2s"));
            CommandResult r = d.delegator(d.environment(), null, args(a));
            assertEquals(0, r.exitCode(), r.toString());
            long pid = d.agentPid().orElseThrow();
            awaitExit(pid);
            assertTrue(d.agentLog().contains("ending: no request for 2 s"), d.agentLog());
            assertFalse(Files.exists(d.agentDir.resolve("agent.sock")));
        }
    }

    @Test
    void sigtermEndsTheAgentAndRemovesItsSocket() throws Exception {
        try (Delegates d = Delegates.start("sigterm", 1, Delegates.Mode.REUSE)) {
            long pid = d.agentPid().orElseThrow();
            ExternalCommand.check("kill", "-TERM", String.valueOf(pid));
            awaitExit(pid);
            assertFalse(Files.exists(d.agentDir.resolve("agent.sock")));
            CommandResult r = d.delegator(Map.of(), null, args(explicit(d, "deploy", "next")));
            assertEquals(0, r.exitCode(), r.toString());
            assertTrue(d.agentPid().orElseThrow() != pid, d.agentLog());
        }
    }

    @Test
    void aChangedKeyEndsTheAgentAndTheRunGoesAheadWithoutIt() throws Exception {
        try (Delegates d = Delegates.start("rekey", 1, Delegates.Mode.REUSE)) {
            long pid = d.agentPid().orElseThrow();
            // the same key written again: the agent cannot tell a rotation from this, and must not try
            Files.write(d.key, Files.readAllBytes(d.key));
            Files.setLastModifiedTime(d.key, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            CommandResult r = d.delegator(Map.of(), null, args(explicit(d, "deploy", "rekeyed")));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("deployed rekeyed as " + d.user.name() + "\n", r.stdout());
            assertEquals("", r.stderr());
            assertTrue(d.agentLog().contains("ending: " + d.key + " changed"), d.agentLog());
            awaitExit(pid);
            CommandResult next = d.delegator(Map.of(), null, args(explicit(d, "deploy", "fresh")));
            assertEquals(0, next.exitCode(), next.toString());
            assertTrue(d.agentPid().orElseThrow() != pid, "a new agent for the new key: " + d.agentLog());
        }
    }

    @Test
    void reuseWithSecretsFromTheEnvironmentIsAUsageError() throws Exception {
        try (Delegates d = Delegates.start("envreuse", 1)) {
            Map<String, String> env = new java.util.HashMap<>(d.environment());
            env.put("DEPLOY_KEY", Files.readString(d.key));
            CommandResult r = d.delegator(env, null, "run", "--reuse", "1m", "--host", "127.0.0.1", "--port",
                    String.valueOf(d.servers.get(0).port()), "--user", d.user.name(), "--identity-env", "DEPLOY_KEY",
                    "--known-hosts", d.knownHosts.toString(), "--no-audit", "--", "deploy", "x");
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals("delegator: --reuse needs the key and known_hosts in files (--identity and --known-hosts, or the caller "
                    + "directory): the agent reads them itself, and no secret crosses its socket\n", r.stderr());
            assertFalse(Files.exists(d.agentDir), "no agent was started");
        }
    }

    @Test
    void anAgentDirectoryOthersCanEnterIsNotUsed() throws Exception {
        try (Delegates d = Delegates.start("unsafe", 1)) {
            Files.createDirectory(d.agentDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.setPosixFilePermissions(d.agentDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> a = explicit(d, "deploy", "direct");
            a.addAll(1, List.of("--reuse", "1m"));
            CommandResult r = d.delegator(d.environment(), null, args(a));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("deployed direct as " + d.user.name() + "\n", r.stdout());
            assertEquals("delegator: warning: connection reuse is off for this run: " + d.agentDir + " has mode 0755; it must be 0700\n",
                    r.stderr());
            assertFalse(Files.exists(d.agentDir.resolve("agent.sock")));
        }
    }

    @Test
    void theLightClientLoadsNoMinaNoPicocliNoYaml() throws Exception {
        try (Delegates d = Delegates.start("light", 1, Delegates.Mode.REUSE)) {
            Path classes = d.root.resolve("classes.log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classes, "-cp", d.launcher.resolveSibling("delegator.jar").toString(),
                    "dev.delegator.cli.DelegatorMain"));
            List<String> a = explicit(d, "deploy", "light");
            a.addAll(1, List.of("--reuse", "60s"));
            cmd.addAll(a);
            CommandResult r = ExternalCommand.run(cmd, d.environment(), null, Duration.ofSeconds(60));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("deployed light as " + d.user.name() + "\n", r.stdout());
            d.assertAgentRan(1);
            List<String> loaded = Files.readAllLines(classes);
            assertTrue(loaded.stream().anyMatch(l -> l.contains("dev.delegator.cli.agent.LightClient ")), "the log names classes");
            List<String> heavy = loaded.stream().filter(l -> l.contains("org.apache.sshd") || l.contains("picocli")
                    || l.contains("org.yaml") || l.contains("dev.delegator.manifest") || l.contains("dev.delegator.client.")).toList();
            assertEquals(List.of(), heavy);
        }
    }
}
