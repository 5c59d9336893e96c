package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * cron and at are denied to a delegate: a container host with Debian's {@code cron} and {@code at}
 * (their real {@code crontab} and {@code at}, reading the real {@code /etc/cron.deny} and
 * {@code /etc/at.deny}), provisioned by the real apply inside it with the system layout. The verb
 * script, run through the container's sshd and the dispatcher, tries to leave a job with each; an
 * ordinary account of the same host is the control. revoke gives the files back as they were.
 */
@NeedsContainerHost
@DisplayName("cron and at: apply denies the delegate both, revoke takes the denial back")
class SchedulerDenyIT {
    private static final String HOST_NAME = "sched.it.example";
    private static final String DEBIAN_AT_DENY_HEAD = "alias\n";

    private static TestRoot root;
    private static ContainerHost web;
    private static ClientKey key;
    private static String delegation;
    private static String delegate;
    private static String atDenyBefore;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireCommand("ssh-keygen");
        web = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).start();
        root = TestRoot.create("it-sched");
        key = ClientKey.generate(root.path(), "id_ed25519");
        String r = Provisioner.random();
        delegation = "sched-" + r;
        delegate = "dlg-sched-" + r;
        web.writeFile("/usr/local/bin/leave-job", "#!/bin/sh\n"
                + "echo '* * * * * touch $HOME/cron-ran' | crontab - 2>&1; echo \"crontab: $?\"\n"
                + "echo 'touch $HOME/at-ran' | at now + 1 hour 2>&1; echo \"at: $?\"\n", 0755);
        web.execChecked("useradd", "--create-home", "--shell", "/bin/sh", "ordinary");
        atDenyBefore = web.execChecked("cat", "/etc/at.deny");
        CommandResult applied = web.apply(HOST_NAME, CiDelegation.manifest(CiDelegation.named(delegation)
                .delegate(delegate).host(HOST_NAME, web).callerKey(key)
                .verb("leave-job", "{run: /usr/local/bin/leave-job}")));
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
    @DisplayName("the verb's crontab - and at fail for the delegate through sshd and the dispatcher; no job is queued")
    void deniedThroughTheDispatcher() throws Exception {
        CommandResult r = DelegatorCli.runAsCi(web, delegate, key.privateKey(), "leave-job");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("You (" + delegate + ") are not allowed to use this program (crontab)"), r::toString);
        assertTrue(r.stdout().contains("You do not have permission to use at."), r::toString);
        assertTrue(r.stdout().contains("crontab: 1\n"), r::toString);
        assertTrue(r.stdout().contains("at: 1\n"), r::toString);
        assertNotEquals(0, web.exec("crontab", "-l", "-u", delegate).exitCode(), "a crontab exists for the delegate");
        assertEquals("", web.execChecked("sh", "-c", "ls /var/spool/cron/atjobs | grep -v '^\\.' || true"), "an at job was queued");
    }

    @Test
    @DisplayName("the deny files are what refuses it: the delegate without the dispatcher is denied, an ordinary account is not")
    void theDenyFilesDecide() {
        String block = "# BEGIN delegator: delegate accounts, denied by delegator apply (do not edit)\n" + delegate + "\n# END delegator\n";
        assertEquals(atDenyBefore + block, web.execChecked("cat", "/etc/at.deny"));
        assertTrue(atDenyBefore.startsWith(DEBIAN_AT_DENY_HEAD), "Debian's own at.deny is kept: " + atDenyBefore);
        assertEquals("root:daemon 640\n", web.execChecked("stat", "-c", "%U:%G %a", "/etc/at.deny"));
        assertTrue(web.execChecked("cat", "/etc/cron.deny").endsWith(block));

        String delegateCron = web.shell("echo '* * * * * true' | setpriv --reuid=" + delegate + " --regid=" + delegate
                + " --init-groups crontab - 2>&1; echo \"status $?\"");
        assertTrue(delegateCron.contains("not allowed to use this program (crontab)") && delegateCron.endsWith("status 1\n"), delegateCron);
        String ordinaryCron = web.shell("echo '* * * * * true' | setpriv --reuid=ordinary --regid=ordinary --init-groups crontab - 2>&1;"
                + " echo \"status $?\"");
        assertEquals("status 0\n", ordinaryCron, "the control: an ordinary account may use crontab");
    }

    @Test
    @DisplayName("revoke takes the delegate out of both files, leaving Debian's at.deny as it was")
    void revokeUndoes() {
        // runs last by name order is not guaranteed: revoke a second delegation of its own
        String r = Provisioner.random();
        String other = "dlg-sched2-" + r;
        String otherDelegation = "sched2-" + r;
        String manifest = web.execChecked("cat", "/etc/delegator/delegations.yaml") + "  " + otherDelegation + ":\n"
                + "    caller: {user: ci, host: build1.it.example}\n"
                + "    delegate: {user: " + other + ", home: /var/lib/" + other + "}\n"
                + "    hosts:\n"
                + "      - host: '" + HOST_NAME + "'\n"
                + "        hostKey: '" + web.hostPublicKey() + "'\n"
                + "    from: ['" + web.callerAddress() + "']\n"
                + "    verbs:\n"
                + "      leave-job: {run: /usr/local/bin/leave-job}\n"
                + "    callerPublicKey: '" + key.publicKey() + " ci@build1'\n";
        CommandResult applied = web.apply(HOST_NAME, manifest);
        assertEquals(0, applied.exitCode(), applied::toString);
        assertTrue(web.execChecked("cat", "/etc/at.deny").contains("\n" + other + "\n"));

        CommandResult revoked = web.exec(web.delegatorCommand("revoke", "--host-name", HOST_NAME, otherDelegation));

        assertEquals(0, revoked.exitCode(), revoked::toString);
        String atDeny = web.execChecked("cat", "/etc/at.deny");
        assertTrue(!atDeny.contains(other) && atDeny.contains("\n" + delegate + "\n"), atDeny);
        assertTrue(!web.execChecked("cat", "/etc/cron.deny").contains(other));
    }
}
