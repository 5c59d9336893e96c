package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * sshd's per-source penalties (OpenSSH 9.8 and later, on by default) seen from a caller: failed
 * logins from one address make sshd drop every later connection from it, a good key's too, and
 * {@code delegator run} says what the likely cause is. On Debian 12 (OpenSSH 9.2, no penalties)
 * the same failures leave the good key working. Each test has a fresh host with Debian's default
 * sshd config (penalties kept), since a penalty outlives the test that earned it.
 */
@NeedsContainerHost
@DisplayName("sshd's per-source penalties")
class PenaltiesIT {
    private static final String USER = "dlg-penalty";
    /** More failed logins than OpenSSH 10.0's defaults allow (authfail:5 against max:15, refused at 15). */
    private static final int FAILED_LOGINS = 6;

    private TestRoot root;
    private ContainerHost host;
    private ClientKey good;
    private ClientKey wrong;
    private Path knownHosts;

    @BeforeEach
    void startHost() throws Exception {
        Prerequisites.requireCommand("ssh", "ssh-keygen");
        host = ContainerHost.builder().keepingPenalties().start();
        root = TestRoot.create("it-penalty");
        good = ClientKey.generate(root.path(), "good");
        wrong = ClientKey.generate(root.path(), "wrong");
        knownHosts = root.resolve("known_hosts");
        Files.writeString(knownHosts, host.knownHostsLine() + "\n");
        host.shell("useradd --create-home --shell /bin/sh " + USER + " && usermod -p '*' " + USER
                + " && install -d -m 0700 -o " + USER + " -g " + USER + " /home/" + USER + "/.ssh");
        String file = "/home/" + USER + "/.ssh/authorized_keys";
        host.writeFile(file, "restrict,command=\"echo ran\" " + good.publicKey() + "\n", 0600);
        host.execChecked("chown", USER + ":" + USER, file);
    }

    @AfterEach
    void stopHost() {
        if (host != null) {
            host.close();
        }
        if (root != null) {
            root.close();
        }
    }

    private CommandResult run() {
        return DelegatorCli.run(List.of("run", "--host", "127.0.0.1", "--port", Integer.toString(host.sshPort()),
                "--user", USER, "--identity", good.privateKey().toString(), "--known-hosts", knownHosts.toString(),
                "--no-audit", "--", "x"), Map.of());
    }

    private void failLogins() {
        OpenSshClient ssh = new OpenSshClient(host.sshPort(), USER, wrong.privateKey(), knownHosts);
        for (int i = 0; i < FAILED_LOGINS; i++) {
            CommandResult r = ssh.run("x");
            assertEquals(255, r.exitCode(), r::toString);
        }
    }

    @Test
    @DisplayName("after failed logins from its address, a good key is dropped on 10.0 (run names the cause) and works on 9.2")
    void failedLoginsLockTheAddressOut() {
        CommandResult before = run();
        assertEquals(0, before.exitCode(), before::toString);
        failLogins();
        CommandResult after = run();
        if (host.suite().openSsh().hasPerSourcePenalties()) {
            assertEquals(255, after.exitCode(), after::toString);
            assertTrue(after.stderr().contains("closed the connection before it identified itself"), after::toString);
            assertTrue(after.stderr().contains("PerSourcePenalties"), after::toString);
            assertTrue(host.logs().contains("penalty: failed authentication"), host::logs);
        } else {
            assertEquals(0, after.exitCode(), after::toString);
            assertEquals("ran\n", after.stdout());
        }
    }

    @Test
    @DisplayName("PerSourcePenaltyExemptList with the caller's address keeps a good key working after failed logins")
    void anExemptCallerIsNotLockedOut() {
        if (host.suite().openSsh().hasPerSourcePenalties()) {
            host.writeFile("/etc/ssh/sshd_config.d/10-exempt.conf",
                    "PerSourcePenaltyExemptList " + host.callerAddress() + "\n", 0644);
            host.reloadSshd();
        }
        failLogins();
        CommandResult after = run();
        assertEquals(0, after.exitCode(), after::toString);
        assertEquals("ran\n", after.stdout());
    }
}
