package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A host that cannot give a jail: a container under Docker's default seccomp profile, which refuses
 * {@code unshare(CLONE_NEWUSER)} to an account without CAP_SYS_ADMIN (bubblewrap is installed
 * there; what is missing is the kernel's permission). {@code plan} run there warns, probing as the
 * delegate; the real apply provisions the delegation anyway; a request through the container's
 * sshd and the dispatcher exits 71 with the one-line reason and its verb never runs.
 */
@NeedsContainerHost
@DisplayName("filesystem jail on a host without user namespaces: plan warns, the dispatcher fails closed with 71")
class JailFailsClosedIT {
    private static final String HOST_NAME = "nouserns.it.example";

    private static TestRoot root;
    private static ContainerHost web;
    private static ClientKey key;
    private static String delegate;
    private static String fullDelegate;
    private static String manifest;
    private static CommandResult planBefore;
    private static CommandResult applied;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireCommand("ssh-keygen");
        // default seccomp: no allowingUserNamespaces()
        web = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).start();
        root = TestRoot.create("it-jail71");
        key = ClientKey.generate(root.path(), "id_ed25519");
        String r = Provisioner.random();
        String delegation = "jail71-" + r;
        delegate = "dlg-j71-" + r;
        fullDelegate = "dlg-j71f-" + r;
        web.writeFile("/usr/local/bin/work", "#!/bin/sh\necho ran >\"$HOME/ran\"\necho ran\n", 0755);
        manifest = CiDelegation.manifest(
                CiDelegation.named(delegation).delegate(delegate).host(HOST_NAME, web).callerKey(key)
                        .verb("work", "{run: /usr/local/bin/work}").sandbox("{filesystem: jail}"),
                CiDelegation.named("full-" + r).delegate(fullDelegate).host(HOST_NAME, web).callerKey(key)
                        .verb("work", "{run: /usr/local/bin/work}"));
        web.execChecked("install", "-d", "-m", "0755", "/etc/delegator");
        web.writeFile("/etc/delegator/delegations.yaml", manifest, 0644);
        planBefore = web.exec(web.delegatorCommand("plan", "--host-name", HOST_NAME));
        applied = web.apply(HOST_NAME, manifest);
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

    @Test
    @DisplayName("the control: root in the container has bwrap, and the delegate cannot create a user namespace")
    void theHostLacksUserNamespaces() {
        assertEquals(0, web.exec("sh", "-c", "command -v bwrap").exitCode());
        CommandResult u = web.exec("setpriv", "--reuid=" + delegate, "--regid=" + delegate, "--clear-groups", "unshare", "-Ur", "true");
        assertEquals(1, u.exitCode(), u::toString);
    }

    @Test
    @DisplayName("plan warns that the jail will fail, probing as nobody before apply and as the delegate after it")
    void planWarns() {
        assertEquals(0, planBefore.exitCode(), planBefore::toString);
        assertTrue(planBefore.stdout().contains("note: delegation jail71-") && planBefore.stdout().contains(
                ": sandbox filesystem jail will fail on this host (the dispatcher exits 71); probed as nobody (the delegate does not exist yet): bwrap: "),
                planBefore::toString);
        CommandResult after = web.exec(web.delegatorCommand("plan", "--host-name", HOST_NAME));
        assertEquals(0, after.exitCode(), after::toString);
        assertTrue(after.stdout().contains(": sandbox filesystem jail will fail on this host (the dispatcher exits 71); probed as " + delegate + ": bwrap: "),
                after::toString);
    }

    private static CommandResult request(String user) throws Exception {
        return DelegatorCli.runAsCi(web, user, key.privateKey(), "work");
    }

    @Test
    @DisplayName("network full without a jail still runs there, in its process group only (no PID namespace to be had)")
    void fullStillRuns() throws Exception {
        CommandResult r = request(fullDelegate);
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("ran\n", r.stdout(), r::toString);
    }

    @Test
    @DisplayName("a request through sshd exits 71 with one line naming what is missing, and the verb does not run")
    void requestFailsClosed() throws Exception {
        CommandResult r = request(delegate);

        assertEquals(71, r.exitCode(), r::toString);
        assertEquals("", r.stdout(), r::toString);
        List<String> lines = r.stderr().lines().toList();
        assertEquals(1, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("delegator: sandbox: filesystem jail cannot be set up: bwrap: "), r::toString);
        assertTrue(lines.get(0).contains("namespace"), r::toString);
        assertFalse(web.exec("test", "-e", "/var/lib/" + delegate + "/ran").exitCode() == 0, "the verb ran");
    }
}
