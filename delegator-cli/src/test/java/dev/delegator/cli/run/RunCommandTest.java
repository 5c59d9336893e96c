package dev.delegator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** delegator run as a separate process against real sshd instances, with a connection per run and through the caller's agent. */
class RunCommandTest {
    static final String NODE = "0123456789abcdef0123456789abcdef01234567";

    static String[] args(List<String> a) {
        return a.toArray(String[]::new);
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void runNameResolvesEverythingFromTheManifestAndAudits(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("blog", 1, mode)) {
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("blog", "deploy", NODE));
            CommandResult r = d.delegator(Map.of(), null, args(a));
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("deployed " + NODE + " as " + d.user.name() + "\n", r.stdout());
            String audit = Files.readString(d.auditLog);
            assertTrue(audit.matches("\\{\"time\":\"[^\"]+\",\"delegation\":\"blog\",\"host\":\"127.0.0.1:" + d.servers.get(0).port()
                    + "\",\"user\":\"" + d.user.name() + "\",\"request\":\"deploy " + NODE
                    + "\",\"outcome\":\"EXITED\",\"exit\":0,\"duration_ms\":\\d+,\"bytes_out\":" + r.stdoutBytes().length + "}\n"), audit);
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void withRootTheDefaultAuditLogIsTheCallerDirectoryBelowTheRoot(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("rooted", 1, mode)) {
            Path provisioned = d.root.resolve("var/lib/delegator/callers/root/audit.log");
            Files.writeString(provisioned, "");
            Path home = Files.createDirectories(d.root.resolve("home-of-caller"));
            // no --audit-log: the default must be the layout's, below --root
            CommandResult r = d.delegator(Map.of("HOME", home.toString()), null, "run", "--root", d.root.path().toString(),
                    "rooted", "deploy", NODE);
            assertEquals(0, r.exitCode(), r.toString());
            List<String> lines = Files.readAllLines(provisioned);
            assertEquals(1, lines.size(), lines::toString);
            assertTrue(lines.get(0).contains("\"delegation\":\"rooted\""), lines.get(0));
            assertTrue(!Files.exists(home.resolve(".local/state/delegator/audit.log")), "nothing goes to the home's state directory");
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void aMissingOrUnreadableKeyIsAnInputErrorNamingThePathOnce(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("nokey", 1, mode)) {
            Path missing = d.root.resolve("no-such-key");
            long connectionsBefore = d.servers.get(0).logText().lines().filter(l -> l.contains("Connection from 127.0.0.1")).count();
            CommandResult r = d.delegator(Map.of(), null, "run", "--host", "127.0.0.1", "--port", String.valueOf(d.servers.get(0).port()),
                    "--user", d.user.name(), "--identity", missing.toString(), "--known-hosts", d.knownHosts.toString(), "--no-audit",
                    "--", "hello");
            assertEquals(3, r.exitCode(), r.toString());
            assertEquals("delegator: cannot read private key " + missing + ": no such file\n", r.stderr());
            CommandResult dir = d.delegator(Map.of(), null, "run", "--host", "127.0.0.1", "--port", String.valueOf(d.servers.get(0).port()),
                    "--user", d.user.name(), "--identity", d.root.path().toString(), "--known-hosts", d.knownHosts.toString(), "--no-audit",
                    "--", "hello");
            assertEquals(3, dir.exitCode(), dir.toString());
            assertEquals("delegator: cannot read private key " + d.root.path() + ": is a directory\n", dir.stderr());
            assertEquals(connectionsBefore, d.servers.get(0).logText().lines().filter(l -> l.contains("Connection from 127.0.0.1")).count(),
                    "nothing connected: " + d.servers.get(0).logText());
            d.assertAgentRan(2);
        }
    }

    @Test
    void explicitFormWithSecretsFromEnvironmentPassesTheStatusThrough() throws Exception {
        try (Delegates d = Delegates.start("ci", 1)) {
            Map<String, String> env = Map.of("DEPLOY_KEY", Files.readString(d.key), "DEPLOY_KNOWN_HOSTS", Files.readString(d.knownHosts));
            CommandResult r = d.delegator(env, null, "run", "--host", "127.0.0.1", "--port",
                    String.valueOf(d.servers.get(0).port()), "--user", d.user.name(), "--identity-env", "DEPLOY_KEY",
                    "--known-hosts-env", "DEPLOY_KNOWN_HOSTS", "--audit-log", d.auditLog.toString(), "--", "fail", "3");
            assertEquals(3, r.exitCode(), r.toString());
            assertEquals("", r.stdout());
            assertEquals("failing with 3\n", r.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void stdinIsForwarded(Delegates.Mode mode) {
        try (Delegates d = Delegates.start("stdin", 1, mode)) {
            CommandResult r = d.delegator(Map.of(), "some input\n".getBytes(), "run", "--host", "127.0.0.1", "--port",
                    String.valueOf(d.servers.get(0).port()), "--user", d.user.name(), "--identity", d.key.toString(),
                    "--known-hosts", d.knownHosts.toString(), "--no-audit", "--", "cat");
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals("some input\n", r.stdout());
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void unknownHostKeyFailsWith255AndOneLine(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("unknown", 1, mode)) {
            Files.writeString(d.knownHosts, "");
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("unknown", "deploy", NODE));
            CommandResult r = d.delegator(Map.of(), null, args(a));
            assertEquals(255, r.exitCode(), r.toString());
            String port = String.valueOf(d.servers.get(0).port());
            assertTrue(r.stderr().startsWith("delegator: host key of 127.0.0.1:" + port + " is unknown: it offered ssh-ed25519 SHA256:"), r.stderr());
            assertTrue(r.stderr().endsWith("refusing to connect; if it is the right key, add it to the manifest's hosts[].hostKey "
                    + "and run delegator apply\n"), r.stderr());
            assertEquals(1, r.stderr().lines().count(), r.stderr());
            if (mode == Delegates.Mode.REUSE) {
                // the agent's connection was verified against the old known_hosts: it ends, the run is made afresh
                assertTrue(d.agentLog().contains("ending: " + d.knownHosts + " changed"), d.agentLog());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void fanOutToThreeHostsWithOneDownPrefixesLinesAndSummarises(Delegates.Mode mode) {
        try (Delegates d = Delegates.start("fan", 3, mode)) {
            int down = d.servers.get(1).port();
            d.servers.get(1).close();
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("fan", "deploy", NODE));
            CommandResult r = d.delegator(Map.of(), null, args(a));
            assertEquals(255, r.exitCode(), r.toString());
            String up0 = "127.0.0.1:" + d.servers.get(0).port();
            String up2 = "127.0.0.1:" + d.servers.get(2).port();
            List<String> lines = r.stdout().lines().sorted().toList();
            assertEquals(List.of(up0 + ": deployed " + NODE + " as " + d.user.name(),
                    up2 + ": deployed " + NODE + " as " + d.user.name()).stream().sorted().toList(), lines);
            assertTrue(r.stderr().contains("delegator: 127.0.0.1:" + down + ": cannot connect to " + d.user.name()
                    + "@127.0.0.1:" + down + ": connection refused\n"), r.stderr());
            assertTrue(r.stderr().matches("(?s).*HOST +EXIT +DURATION +RESULT\n" + up0 + " +0 +[0-9.]+s +ok\n127.0.0.1:" + down
                    + " +255 +[0-9.]+s +unreachable\n" + up2 + " +0 +[0-9.]+s +ok\nfailed: 127.0.0.1:" + down
                    + " \\(unreachable\\)\n2 of 3 hosts succeeded; exit 255\n"), r.stderr());
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void fanOutWithAFailingCommandExitsWithTheFirstFailingStatus(Delegates.Mode mode) {
        try (Delegates d = Delegates.start("fanfail", 3, mode)) {
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("fanfail", "fail", "7"));
            CommandResult r = d.delegator(Map.of(), null, args(a));
            // every host reached, all failed: the first failing host's status, in manifest order
            assertEquals(7, r.exitCode(), r.toString());
            assertEquals(3, r.stderr().lines().filter(l -> l.endsWith(": failing with 7")).count(), r.stderr());
            assertTrue(r.stderr().endsWith("0 of 3 hosts succeeded; exit 7\n"), r.stderr());
            assertTrue(r.stderr().contains("\nfailed: " + String.join(", ", d.servers.stream().map(s -> "127.0.0.1:" + s.port()
                    + " (exited 7)").toList()) + "\n"), r.stderr());
            d.assertAgentRan(1);
        }
    }

    @Test
    void hostsFileFansOutInItsOrderAndJsonKeepsStdoutParseable() throws Exception {
        try (Delegates d = Delegates.start("hostsfile", 3)) {
            int down = d.servers.get(1).port();
            d.servers.get(1).close();
            Path hosts = d.root.resolve("fleet.txt");
            Files.writeString(hosts, "# the fleet\n127.0.0.1:" + d.servers.get(0).port() + "\n\n  127.0.0.1:" + down
                    + "   # down for the test\n127.0.0.1:" + d.servers.get(2).port() + "\n");
            CommandResult r = d.delegator(Map.of(), null, "run", "--hosts-file", hosts.toString(), "--user", d.user.name(),
                    "--identity", d.key.toString(), "--known-hosts", d.knownHosts.toString(), "--no-audit", "--json", "--", "deploy", NODE);
            assertEquals(255, r.exitCode(), r.toString());
            // stdout is the JSON document alone: one line, whatever the hosts printed
            assertEquals(1, r.stdout().lines().count(), r.stdout());
            com.google.gson.JsonObject doc = com.google.gson.JsonParser.parseString(r.stdout()).getAsJsonObject();
            assertEquals(255, doc.get("exit").getAsInt());
            assertEquals(2, doc.get("succeeded").getAsInt());
            assertEquals(3, doc.get("total").getAsInt());
            var results = doc.getAsJsonArray("hosts");
            for (int i = 0; i < 3; i++) {
                var h = results.get(i).getAsJsonObject();
                assertEquals("127.0.0.1:" + (i == 1 ? down : d.servers.get(i).port()), h.get("host").getAsString(), "the file's order");
                assertEquals(i == 1 ? 255 : 0, h.get("exit").getAsInt());
                assertEquals(i == 1 ? "unreachable" : "ok", h.get("result").getAsString());
                assertEquals(i == 1 ? "cannot connect to " + d.user.name() + "@127.0.0.1:" + down + ": connection refused" : null,
                        h.get("error").isJsonNull() ? null : h.get("error").getAsString());
                assertTrue(h.get("duration_ms").getAsLong() >= 0);
            }
            // the relayed output moved to stderr, prefixed as in any fan-out, beside the reasons and the summary
            for (int i : new int[] {0, 2}) {
                assertTrue(r.stderr().contains("127.0.0.1:" + d.servers.get(i).port() + ": deployed " + NODE + " as " + d.user.name() + "\n"),
                        r.stderr());
            }
            assertTrue(r.stderr().contains("\nfailed: 127.0.0.1:" + down + " (unreachable)\n2 of 3 hosts succeeded; exit 255\n"),
                    r.stderr());
        }
    }

    @Test
    void aBadHostsFileLineIsOneErrorWithFileLineColumnExit3AndNothingConnects() throws Exception {
        try (Delegates d = Delegates.start("badhosts", 1)) {
            Path hosts = d.root.resolve("fleet.txt");
            Files.writeString(hosts, "127.0.0.1:" + d.servers.get(0).port() + "\n# next one is wrong\n  web2:99999\n");
            CommandResult r = d.delegator(Map.of(), null, "run", "--hosts-file", hosts.toString(), "--user", d.user.name(),
                    "--identity", d.key.toString(), "--known-hosts", d.knownHosts.toString(), "--no-audit", "--", "deploy", NODE);
            assertEquals(3, r.exitCode(), r.toString());
            assertEquals("delegator: " + hosts + ":3:3: port 99999 is outside 1-65535\n", r.stderr());
            assertEquals("", r.stdout());
            assertTrue(d.servers.get(0).logText().lines().noneMatch(l -> l.contains("Connection from 127.0.0.1")),
                    "nothing connected: " + d.servers.get(0).logText());
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void sigtermClosesTheChannelEndsTheRemoteWorkAndExits143(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("term", 1, mode)) {
            List<String> cmd = d.command("run", "--no-audit", "--host", "127.0.0.1",
                    "--port", String.valueOf(d.servers.get(0).port()), "--user", d.user.name(), "--identity", d.key.toString(),
                    "--known-hosts", d.knownHosts.toString(), "--", "until-eof", "sleep", "1000");
            java.nio.file.Path output = d.root.resolve("term.out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(d.environment());
            Process p = pb.start();
            // stdin stays open (never written): the remote command runs until the channel closes
            for (int i = 0; i < 200 && ExternalCommand.run("pgrep", "-u", d.user.name(), "-x", "sleep").exitCode() != 0; i++) {
                Thread.sleep(50);
            }
            assertEquals(0, ExternalCommand.run("pgrep", "-u", d.user.name(), "-x", "sleep").exitCode(), "remote sleep never started");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(143, p.exitValue(), Files.readString(output));
            for (int i = 0; i < 100 && ExternalCommand.run("pgrep", "-u", d.user.name()).exitCode() == 0; i++) {
                Thread.sleep(100);
            }
            assertEquals(1, ExternalCommand.run("pgrep", "-u", d.user.name()).exitCode(), "remote processes left");
            d.assertAgentRan(1);
        }
    }

    List<String> explicit(Delegates d, String... request) {
        List<String> a = new ArrayList<>(List.of("run", "--no-audit", "--host", "127.0.0.1", "--port", String.valueOf(d.servers.get(0).port()),
                "--user", d.user.name(), "--identity", d.key.toString(), "--known-hosts", d.knownHosts.toString(), "--"));
        a.addAll(List.of(request));
        return a;
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void aRemoteSignalGives128PlusItsNumberAndTheReason(Delegates.Mode mode) {
        try (Delegates d = Delegates.start("sig", 1, mode)) {
            CommandResult r = d.delegator(Map.of(), null, args(explicit(d, "signal", "TERM")));
            assertEquals(143, r.exitCode(), r.toString());
            assertEquals("delegator: remote command on 127.0.0.1:" + d.servers.get(0).port() + " was killed by signal TERM\n", r.stderr());
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void stdoutAndStderrArriveByteForByteAndStdinEndsWithEof(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("bytes", 1, mode)) {
            CommandResult r = d.delegator(Map.of(), null, args(explicit(d, "noise", "3000000")));
            assertEquals(0, r.exitCode(), "exit status of noise");
            assertEquals(3_000_000, r.stdoutBytes().length);
            // CommandResult keeps stderr as text: compare through the same decoding
            assertEquals(new String(r.stdoutBytes(), java.nio.charset.StandardCharsets.UTF_8), r.stderr());
            byte[] input = new byte[2_500_000];
            new java.util.Random(7).nextBytes(input);
            CommandResult cat = d.delegator(Map.of(), input, args(explicit(d, "cat")));
            assertEquals(0, cat.exitCode(), cat.toString());
            assertTrue(java.util.Arrays.equals(input, cat.stdoutBytes()), "stdin came back changed through cat");
            CommandResult empty = d.delegator(Map.of(), new byte[0], args(explicit(d, "cat")));
            assertEquals(0, empty.exitCode(), empty.toString());
            assertEquals(0, empty.stdoutBytes().length);
            d.assertAgentRan(3);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void timeoutGives124AndEndsTheRemoteWork(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("timeout", 1, mode)) {
            List<String> a = explicit(d, "until-eof", "sleep", "1000");
            a.add(1, "--timeout");
            a.add(2, "2s");
            java.nio.file.Path output = d.root.resolve("timeout.out");
            ProcessBuilder pb = new ProcessBuilder(d.command(args(a))).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(d.environment());
            Process p = pb.start();
            // stdin stays open: only the timeout ends it
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(124, p.exitValue(), Files.readString(output));
            assertTrue(Files.readString(output).startsWith("delegator: timed out after 2 s on 127.0.0.1:"), Files.readString(output));
            assertNoProcessesLeft(d);
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void ctrlCClosesTheChannelEndsTheRemoteWorkAndExits130(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("int", 1, mode)) {
            java.nio.file.Path output = d.root.resolve("int.out");
            // SIGINT at its default, as a terminal leaves it: a suite started in the background of a
            // non-interactive shell inherits an ignored SIGINT, which the JVM honours (as under nohup)
            List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT"));
            cmd.addAll(d.command(args(explicit(d, "until-eof", "sleep", "1000"))));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            pb.environment().putAll(d.environment());
            Process p = pb.start();
            awaitRemoteSleep(d);
            // env and the launcher exec: the pid is the JVM's (or the Perl light client's)
            ExternalCommand.check("kill", "-INT", String.valueOf(p.pid()));
            assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(130, p.exitValue(), Files.readString(output));
            assertNoProcessesLeft(d);
            d.assertAgentRan(1);
        }
    }

    static void awaitRemoteSleep(Delegates d) throws InterruptedException {
        for (int i = 0; i < 200 && ExternalCommand.run("pgrep", "-u", d.user.name(), "-x", "sleep").exitCode() != 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, ExternalCommand.run("pgrep", "-u", d.user.name(), "-x", "sleep").exitCode(), "remote sleep never started");
    }

    static void assertNoProcessesLeft(Delegates d) throws InterruptedException {
        for (int i = 0; i < 100 && ExternalCommand.run("pgrep", "-u", d.user.name()).exitCode() == 0; i++) {
            Thread.sleep(100);
        }
        assertEquals(1, ExternalCommand.run("pgrep", "-u", d.user.name()).exitCode(), "remote processes left");
    }
}
