package dev.delegator.it.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.CiDelegation;
import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Scenario 4, fan-out to three container hosts, each provisioned by the real apply inside it from
 * one manifest listing all three (each pinned by its host key); the third host's deploy fails.
 * And the fault "a container stopped in the middle of a fan-out" (last, since it kills a host):
 * the others finish and the summary reports the lost one.
 *
 * <p>The documented rule (README "run", {@code FanOutResult.exitStatus}): 0 when every host
 * succeeded; else 255 when any host was unreachable or lost; else the first failing host's status.
 */
@NeedsContainerHost
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("fan-out to three container hosts")
class FanOutIT {
    private static TestRoot root;
    private static List<ContainerHost> hosts = List.of();
    private static ClientKey key;
    private static String delegate;
    private static Path knownHosts;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireCommand("ssh-keygen");
        hosts = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).startMany(3);
        root = TestRoot.create("it-fanout");
        key = ClientKey.generate(root.path(), "id_ed25519");
        knownHosts = root.resolve("known_hosts");
        String r = Provisioner.random();
        delegate = "dlg-fan-" + r;
        CiDelegation fan = CiDelegation.named("fan-" + r).delegate(delegate).callerKey(key)
                .verb("deploy", "{run: /usr/local/bin/site-deploy, args: ['v[0-9]+']}")
                .verb("slow", "{run: /usr/local/bin/site-slow}");
        StringBuilder pins = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            ContainerHost h = hosts.get(i);
            fan.host("fan" + (i + 1) + ".it.example", h);
            pins.append(h.knownHostsLine()).append('\n');
            boolean failing = i == 2;
            h.writeFile("/usr/local/bin/site-deploy", "#!/bin/sh\n" + (failing
                    ? "echo \"deploy $1 failed on $(hostname): disk full\" >&2\nexit 3\n"
                    : "echo \"deploy $1 done on $(hostname)\"\n"), 0755);
            h.writeFile("/usr/local/bin/site-slow", "#!/bin/sh\necho started\nsleep 5\necho finished\n", 0755);
        }
        Files.writeString(knownHosts, pins);
        String manifest = CiDelegation.manifest(fan);
        List<CompletableFuture<CommandResult>> applies = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            ContainerHost h = hosts.get(i);
            String name = "fan" + (i + 1) + ".it.example";
            applies.add(CompletableFuture.supplyAsync(() -> h.apply(name, manifest)));
        }
        for (CompletableFuture<CommandResult> a : applies) {
            CommandResult applied = a.join();
            assertEquals(0, applied.exitCode(), applied::toString);
        }
    }

    @AfterAll
    static void cleanUp() {
        hosts.forEach(ContainerHost::close);
        if (root != null) {
            root.close();
        }
    }

    private static List<String> runArgs(String... request) {
        List<String> args = new ArrayList<>(List.of("run"));
        for (ContainerHost h : hosts) {
            args.addAll(List.of("--host", "127.0.0.1:" + h.sshPort()));
        }
        args.addAll(List.of("--user", delegate, "--identity", key.privateKey().toString(), "--known-hosts", knownHosts.toString(),
                "--no-audit", "--timeout", "1m", "--"));
        args.addAll(List.of(request));
        return args;
    }

    private static String label(int i) {
        return "127.0.0.1:" + hosts.get(i).sshPort();
    }

    @Test
    @Order(1)
    @DisplayName("one host of three fails: every host ran, each line carries its host, the summary lists all three, exit = the failing status (3)")
    void oneOfThreeFails() {
        CommandResult r = DelegatorCli.run(runArgs("deploy", "v7"), Map.of());

        assertEquals(3, r.exitCode(), r::toString);
        for (int i = 0; i < 2; i++) {
            assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(i)) + ".*deploy v7 done on ").matcher(r.stdout()).find(), r::toString);
            assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(i)) + "\\s+0\\s+[0-9.]+s\\s+ok$").matcher(r.stderr()).find(),
                    r::toString);
        }
        assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(2)) + ".*deploy v7 failed on .*disk full").matcher(r.stderr()).find(),
                r::toString);
        assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(2)) + "\\s+3\\s+[0-9.]+s\\s+exited 3$").matcher(r.stderr()).find(),
                r::toString);
        assertTrue(r.stderr().contains("2 of 3 hosts succeeded; exit 3"), r::toString);
    }

    @Test
    @Order(2)
    @DisplayName("all three succeed with a verb they all run well: exit 0")
    void allSucceed() {
        CommandResult r = DelegatorCli.run(runArgs("slow"), Map.of());
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("3 of 3 hosts succeeded; exit 0"), r::toString);
    }

    @Test
    @Order(3)
    @DisplayName("fault: a host stopped in the middle of a fan-out: the others finish, the summary reports the lost one, exit 255")
    void hostLostMidway() throws Exception {
        Path log = root.resolve("fanout.log");
        Process run = DelegatorCli.start(runArgs("slow"), log);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a safety net, not a performance assertion
            while (Files.readString(log).split("started", -1).length - 1 < 3) {
                assertTrue(System.nanoTime() < deadline && run.isAlive(), () -> "not all hosts started: " + read(log));
                Thread.sleep(50);
            }
            hosts.get(1).kill();
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), () -> "the fan-out did not end: " + read(log));
        } finally {
            run.destroyForcibly();
        }
        String out = read(log);
        assertEquals(255, run.exitValue(), out);
        for (int i : new int[] {0, 2}) {
            assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(i)) + ".*finished$").matcher(out).find(), out);
            assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(i)) + "\\s+0\\s+[0-9.]+s\\s+ok$").matcher(out).find(), out);
        }
        assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(1)) + "\\s+255\\s+[0-9.]+s\\s+connection lost$").matcher(out).find(), out);
        assertTrue(out.contains("2 of 3 hosts succeeded; exit 255"), out);
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
