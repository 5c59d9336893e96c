package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.CiDelegation;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code network: loopback} on a host without nftables (the container host image has no
 * {@code nftables} package): plan shows a blocker naming the package, and apply stops before it
 * changes anything, so no delegate is made whose requests could only fail.
 */
@NeedsContainerHost
@DisplayName("network loopback without nftables: a plan blocker naming the package, apply changes nothing")
class LoopbackNeedsNftIT {
    private static final String HOST_NAME = "lb.it.example";

    private static TestRoot root;
    private static ContainerHost web;
    private static String delegate;
    private static CommandResult planned;
    private static CommandResult applied;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireCommand("ssh-keygen");
        web = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).start();
        root = TestRoot.create("it-lbnft");
        ClientKey key = ClientKey.generate(root.path(), "id_ed25519");
        String r = Provisioner.random();
        delegate = "dlg-lb-" + r;
        String manifest = CiDelegation.manifest(CiDelegation.named("lb-" + r).delegate(delegate).host(HOST_NAME, web)
                .callerKey(key).verb("work", "{run: /bin/true}").sandbox("{network: loopback}"));
        web.execChecked("install", "-d", "-m", "0755", "/etc/delegator");
        web.writeFile("/etc/delegator/delegations.yaml", manifest, 0644);
        planned = web.exec(web.delegatorCommand("plan", "--host-name", HOST_NAME));
        applied = web.apply(HOST_NAME, manifest);
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

    @Test
    @DisplayName("the control: the host has no nft")
    void noNft() {
        assertNotEquals(0, web.exec("sh", "-c", "command -v nft").exitCode());
    }

    @Test
    @DisplayName("plan and apply name the missing package; apply made no delegate")
    void blocked() {
        String blocker = "sandbox network loopback (delegate " + delegate + ") needs nftables, which is not installed"
                + " (nft missing; Debian: apt-get install nftables)";
        assertTrue(planned.stdout().contains(blocker) || planned.stderr().contains(blocker), planned::toString);
        assertEquals(5, applied.exitCode(), applied::toString);
        assertTrue(applied.stderr().contains(blocker), applied::toString);
        assertEquals(2, web.exec("getent", "passwd", delegate).exitCode(), "apply made the delegate");
    }
}
