package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.manifest.Manifest;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code sandbox: {network: loopback}} end to end on this host: apply installs the nftables table
 * (in the real kernel, a table of this test root's own), the request goes through a private sshd
 * and the dispatcher. The other side is a network namespace this test creates, joined by a veth
 * pair with 10.x addresses and a listener in it: root reaches it (the control), the work does not,
 * while a listener on 127.0.0.1 is reached.
 */
@DisplayName("network loopback: apply's nftables table, through sshd and the dispatcher")
class LoopbackTest {
    ProvisionFixture fx;
    String name;
    String delegate;
    String netns;
    String veth;
    String nsAddress;
    Process nsListener;
    ServerSocket local;
    Path ran;
    final int nsPort = 40000 + ThreadLocalRandom.current().nextInt(20000);

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireCommand("nft", "ip", "bash", "python3", "systemd-analyze");
        fx = new ProvisionFixture();
        name = ProvisionFixture.randomName("t");
        delegate = fx.delegate();
        String hex = ProvisionFixture.randomName("");
        netns = "dlgt-lb-" + hex;
        veth = "vlb" + hex;
        int net = ThreadLocalRandom.current().nextInt(256);
        nsAddress = "10.251." + net + ".2";
        ExternalCommand.check("ip", "netns", "add", netns);
        ExternalCommand.check("ip", "link", "add", veth + "h", "type", "veth", "peer", "name", veth + "n");
        ExternalCommand.check("ip", "link", "set", veth + "n", "netns", netns);
        ExternalCommand.check("ip", "addr", "add", "10.251." + net + ".1/30", "dev", veth + "h");
        ExternalCommand.check("ip", "link", "set", veth + "h", "up");
        ExternalCommand.check("ip", "-n", netns, "addr", "add", nsAddress + "/30", "dev", veth + "n");
        ExternalCommand.check("ip", "-n", netns, "link", "set", veth + "n", "up");
        nsListener = new ProcessBuilder("ip", "netns", "exec", netns, "python3", "-c",
                "import socket\ns = socket.socket()\ns.bind(('" + nsAddress + "', " + nsPort + "))\ns.listen(16)\n"
                        + "while True:\n    s.accept()[0].close()\n").start();
        local = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
        Path netVerb = fx.root.resolve("verbs").resolve("net");
        Files.writeString(netVerb, """
                #!/bin/bash
                : >"$HOME/ran"
                if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then echo "$1 connected"; else echo "$1 refused"; fi
                """);
        Files.setPosixFilePermissions(netVerb, FileStatus.perms(0755));
        ran = fx.root.resolve("home").resolve(delegate).resolve("ran");
        apply(manifest(true));
        fx.awaitListening(2);
        // the control: the namespace's listener answers root, whom no rule restricts
        for (int i = 0; i < 100 && !reachableAsRoot(); i++) {
            Thread.sleep(50);
        }
        assertTrue(reachableAsRoot(), "the listener in the network namespace is reachable");
    }

    @AfterEach
    void tearDown() {
        if (nsListener != null) {
            nsListener.destroyForcibly();
        }
        if (netns != null) {
            ExternalCommand.run("ip", "netns", "delete", netns);
            ExternalCommand.run("ip", "link", "delete", veth + "h");
        }
        try {
            if (local != null) {
                local.close();
            }
        } catch (java.io.IOException e) {
            // closing a listener cannot fail the test
        }
        if (fx != null) {
            ExternalCommand.run("nft", "delete", "table", "inet", fx.layout().nftTable());
            fx.close();
        }
    }

    private boolean reachableAsRoot() {
        return ExternalCommand.run("bash", "-c", "exec 3<>/dev/tcp/" + nsAddress + "/" + nsPort).exitCode() == 0;
    }

    private Manifest manifest(boolean loopback) throws Exception {
        return fx.manifest(fx.delegation(name, delegate)
                .replace("      hello:", "      net: {run: " + fx.root.resolve("verbs").resolve("net") + ", args: ['[0-9.]+', '[0-9]+']}\n      hello:")
                .replace("sandbox: {timeout: 1m, processes: 64}", loopback ? "sandbox: {timeout: 1m, processes: 64, network: loopback}"
                        : "sandbox: {timeout: 1m, processes: 64}"));
    }

    private void apply(Manifest m) throws Exception {
        Applier.apply(m, fx.target(), new Applier.Options(true, Duration.ofMinutes(1), Progress.NONE));
    }

    private CommandResult request(String address, int port) throws Exception {
        return ApplyTest.ssh(fx.client(name, delegate), "net " + address + " " + port);
    }

    @Test
    @DisplayName("a listener on 127.0.0.1 is reached; an address in a network namespace of the test is not")
    void loopbackOnly() throws Exception {
        CommandResult lo = request("127.0.0.1", local.getLocalPort());
        assertEquals(0, lo.exitCode(), lo::toString);
        assertEquals("127.0.0.1 connected\n", lo.stdout());

        CommandResult away = request(nsAddress, nsPort);
        assertEquals(0, away.exitCode(), away::toString);
        assertEquals(nsAddress + " refused\n", away.stdout());
        assertTrue(reachableAsRoot(), "the control after the request: root still reaches the namespace");
    }

    @Test
    @DisplayName("apply writes the table, a unit systemd accepts and its link; a second plan is empty")
    void filesAndUnit() throws Exception {
        String rules = Files.readString(fx.layout().loopbackRules());
        assertTrue(rules.contains("elements = { \"" + delegate + "\" }"), rules);
        assertEquals("0644", FileStatus.octal(FileStatus.of(fx.layout().loopbackRules()).mode()));
        assertEquals(fx.layout().loopbackUnit(), Files.readSymbolicLink(fx.layout().loopbackUnitWants()));
        CommandResult verify = ExternalCommand.run("systemd-analyze", "verify", fx.layout().loopbackUnit().toString());
        assertEquals(0, verify.exitCode(), verify::toString);
        assertTrue(ExternalCommand.check("nft", "list", "table", "inet", fx.layout().nftTable()).contains("oifname != \"lo\""));
        Plan again = Planner.plan(manifest(true), fx.target());
        assertTrue(again.isEmpty(), () -> again.changes().toString());
    }

    @Test
    @DisplayName("the rule gone from the kernel: the request exits 71 and nothing runs; plan shows it, apply loads it again")
    void failsClosedWithoutTheRule() throws Exception {
        ExternalCommand.check("nft", "delete", "table", "inet", fx.layout().nftTable());

        CommandResult r = request(nsAddress, nsPort);

        assertEquals(71, r.exitCode(), r::toString);
        assertEquals("", r.stdout(), r::toString);
        assertTrue(r.stderr().startsWith("delegator: sandbox: network loopback: the nftables rule for uid "), r::toString);
        assertTrue(r.stderr().contains(" is not in force (a packet to 192.0.2.1 left the host); run delegator apply as root"), r::toString);
        assertFalse(Files.exists(ran), "the verb ran");

        Plan p = Planner.plan(manifest(true), fx.target());
        assertTrue(p.changes().stream().anyMatch(c -> c.display().equals("~ nftables table inet " + fx.layout().nftTable()
                + " (not in the kernel; load " + fx.layout().loopbackRules() + ")")), () -> p.changes().toString());
        apply(manifest(true));
        CommandResult again = request("127.0.0.1", local.getLocalPort());
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals("127.0.0.1 connected\n", again.stdout());
    }

    @Test
    @DisplayName("without network loopback in the manifest apply removes the table, the files and the link")
    void applyRemovesAll() throws Exception {
        apply(manifest(false));

        assertFalse(ExternalCommand.run("nft", "list", "table", "inet", fx.layout().nftTable()).exitCode() == 0);
        assertFalse(Files.exists(fx.layout().loopbackRules()));
        assertFalse(Files.exists(fx.layout().loopbackUnit()));
        assertFalse(Files.exists(fx.layout().loopbackUnitWants(), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        CommandResult r = request(nsAddress, nsPort);
        assertEquals(nsAddress + " connected\n", r.stdout(), "the control: with network full the same verb reaches it");
    }
}
