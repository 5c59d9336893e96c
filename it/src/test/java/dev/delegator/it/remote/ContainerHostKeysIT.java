package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.TestRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Host keys of container hosts, which the fan-out and key-rotation scenarios rely on: every
 * container has its own, so a pin for one host does not open another, and a host's key can be
 * rotated under a caller that pinned the old one. The caller here is OpenSSH's ssh with strict
 * host-key checking; later rounds use delegator's own runner.
 */
@NeedsContainerHost
@DisplayName("container host keys")
class ContainerHostKeysIT {
    private static final String USER = "dlg-keys";

    private static TestRoot root;
    private static ContainerHost first;
    private static ContainerHost second;
    private static ClientKey key;

    @BeforeAll
    static void startHosts() {
        List<ContainerHost> hosts = ContainerHost.builder().startMany(2);
        first = hosts.get(0);
        second = hosts.get(1);
        root = TestRoot.create("it-hostkeys");
        key = ClientKey.generate(root.path(), "id_ed25519");
        for (ContainerHost host : new ContainerHost[] {first, second}) {
            host.shell("useradd --create-home --shell /bin/sh " + USER + " && usermod -p '*' " + USER
                    + " && install -d -m 0700 -o " + USER + " -g " + USER + " /home/" + USER + "/.ssh");
            String file = "/home/" + USER + "/.ssh/authorized_keys";
            host.writeFile(file, key.publicKey() + "\n", 0600);
            host.execChecked("chown", USER + ":" + USER, file);
        }
    }

    @AfterAll
    static void stopHosts() {
        for (AutoCloseable c : new AutoCloseable[] {first, second, root}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static CommandResult login(ContainerHost host, String pinnedKey) throws IOException {
        Path knownHosts = Files.createTempFile(root.path(), "known_hosts", "");
        Files.writeString(knownHosts, "[127.0.0.1]:" + host.sshPort() + " " + pinnedKey + "\n");
        return new OpenSshClient(host.sshPort(), USER, key.privateKey(), knownHosts).run("echo in");
    }

    @Test
    @DisplayName("each container has its own host key: the pin for one host does not open another")
    void ownKeyPerContainer() throws IOException {
        assertNotEquals(first.hostPublicKey(), second.hostPublicKey());
        CommandResult right = login(second, second.hostPublicKey());
        assertEquals(0, right.exitCode(), right::toString);
        CommandResult wrong = login(second, first.hostPublicKey());
        assertEquals(255, wrong.exitCode(), wrong::toString);
        assertTrue(wrong.stderr().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), wrong::toString);
    }

    @Test
    @DisplayName("a rotated host key is refused under the old pin and accepted under the new one")
    void rotatedKey() throws IOException {
        String old = first.hostPublicKey();
        CommandResult before = login(first, old);
        assertEquals(0, before.exitCode(), before::toString);

        String rotated = first.rotateHostKey();
        assertNotEquals(old, rotated);
        CommandResult stale = login(first, old);
        assertEquals(255, stale.exitCode(), stale::toString);
        assertTrue(stale.stderr().contains("REMOTE HOST IDENTIFICATION HAS CHANGED"), stale::toString);
        CommandResult repinned = login(first, rotated);
        assertEquals(0, repinned.exitCode(), repinned::toString);
        assertEquals("in\n", repinned.stdout());
    }
}
