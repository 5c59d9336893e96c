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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A delegation cancelled or timed out on a container host provisioned by apply inside it leaves no
 * process of the work there, with {@code network: full} and {@code network: none} alike. This is
 * what broke on OpenSSH 9.8 and later (Debian 13): the dispatcher watched the listener instead of
 * the connection's {@code sshd-session} process, and the work kept running. Run in both matrix legs.
 */
@NeedsContainerHost
@DisplayName("Cancellation on a container host")
class RemoteCancellationIT {
    private static final String HOST_NAME = "web1.it.example";

    private static TestRoot root;
    private static ContainerHost web;
    private static ClientKey key;
    private static String suffix;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireCommand("ssh-keygen");
        web = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).allowingUserNamespaces().start();
        root = TestRoot.create("it-cancel");
        key = ClientKey.generate(root.path(), "id_ed25519");
        suffix = Provisioner.random();
        // a tree in the work's process group that never ends by itself
        web.writeFile("/usr/local/bin/hang", "#!/bin/sh\nsleep 300 &\nsh -c 'sleep 300' &\necho started\nwait\n", 0755);
        List<CiDelegation> delegations = new ArrayList<>();
        for (String network : List.of("full", "none")) {
            delegations.add(CiDelegation.named("hang-" + network + "-" + suffix).delegate(delegate(network))
                    .host(HOST_NAME, web).callerKey(key).verb("hang", "{run: /usr/local/bin/hang}")
                    .sandbox("{network: " + network + "}"));
        }
        CommandResult applied = web.apply(HOST_NAME, CiDelegation.manifest(delegations.toArray(CiDelegation[]::new)));
        assertEquals(0, applied.exitCode(), applied::toString);
    }

    @AfterAll
    static void cleanUp() {
        if (web != null) {
            web.close();
        }
        if (root != null) {
            root.close();
        }
    }

    private static String delegate(String network) {
        return "dlg-hang-" + network.charAt(0) + "-" + suffix;
    }

    private static List<String> runArgs(String network, String timeout) {
        return new ArrayList<>(List.of("run", "--host", "127.0.0.1", "--port", Integer.toString(web.sshPort()),
                "--user", delegate(network), "--identity", key.privateKey().toString(), "--known-hosts", knownHosts().toString(),
                "--no-audit", "--timeout", timeout, "--", "hang"));
    }

    private static Path knownHosts() {
        try {
            Path p = root.resolve("known_hosts");
            Files.writeString(p, web.knownHostsLine() + "\n");
            return p;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String processesOf(String user) {
        return web.exec("pgrep", "-a", "-u", user).stdout().trim();
    }

    private static void awaitNoProcessesOf(String user) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // a safety net, not a performance assertion
        while (!processesOf(user).isEmpty()) {
            assertTrue(System.nanoTime() < deadline, () -> "the work still runs in the container: " + processesOf(user));
            Thread.sleep(100);
        }
    }

    @ParameterizedTest(name = "network: {0}")
    @ValueSource(strings = {"full", "none"})
    @DisplayName("run --timeout exits 124 and no process of the work is left on the host")
    void timeoutEndsTheWork(String network) throws Exception {
        CommandResult r = DelegatorCli.run(runArgs(network, "2s"), java.util.Map.of());
        assertEquals(124, r.exitCode(), () -> r + "\ncontainer log:\n" + web.logs());
        assertTrue(r.stdout().contains("started"), r::toString);
        awaitNoProcessesOf(delegate(network));
    }

    @ParameterizedTest(name = "network: {0}")
    @ValueSource(strings = {"full", "none"})
    @DisplayName("the caller killed mid-run: no process of the work is left on the host")
    void killedCallerEndsTheWork(String network) throws Exception {
        Path out = root.resolve("run-" + network + ".log");
        Process run = new ProcessBuilder(DelegatorCli.argv(runArgs(network, "10m"))).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a safety net
            while (!Files.readString(out).contains("started")) {
                assertTrue(System.nanoTime() < deadline && run.isAlive(), () -> "the work did not start: " + read(out));
                Thread.sleep(20);
            }
            assertTrue(web.exec("pgrep", "-u", delegate(network), "-x", "sleep").exitCode() == 0, "the work runs as the delegate");
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
            run.waitFor(30, TimeUnit.SECONDS);
            awaitNoProcessesOf(delegate(network));
        } finally {
            run.destroyForcibly();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
