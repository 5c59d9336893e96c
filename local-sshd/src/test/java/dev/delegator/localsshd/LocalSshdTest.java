package dev.delegator.localsshd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real sshd (openssh-server must be installed: this module cannot use testkit's skip-locally
 * prerequisites, testkit depends on it). Only starting, reloading and stopping are checked here;
 * logins through it are testkit's PrivateSshdTest and the demo's.
 */
class LocalSshdTest {
    @Test
    void theListenerSeesTheMastersPidFromStartToStopAndTheConfigHasTheCallersLines(@TempDir Path dir) throws Exception {
        List<String> events = new ArrayList<>();
        LocalSshd.Listener listener = new LocalSshd.Listener() {
            @Override
            public void started(long pid) {
                events.add("started " + pid);
            }

            @Override
            public void stopped(long pid) {
                events.add("stopped " + pid);
            }
        };
        LocalSshd sshd = LocalSshd.builder(dir.resolve("sshd")).headline("a headline of the caller's").hostKeyComment("lsk-test")
                .authorizedKeysFile("none").configLine("PermitRootLogin no").listener(listener).start();
        long pid = sshd.pid();
        try {
            assertEquals(List.of("started " + pid), events);
            String config = Files.readString(sshd.configFile());
            assertTrue(config.startsWith("# a headline of the caller's\n"), config);
            assertTrue(config.contains("\nAuthorizedKeysFile none\n") && config.contains("\nPermitRootLogin no\nSubsystem sftp"), config);
            assertTrue(Files.readString(dir.resolve("sshd/ssh_host_ed25519_key.pub")).strip().endsWith(" lsk-test"));
            assertEquals("[127.0.0.1]:" + sshd.port() + " " + sshd.hostPublicKey(), sshd.knownHostsLine());
            assertTrue(sshd.hostPublicKey().matches("ssh-ed25519 AAAA[A-Za-z0-9+/]+=*"), sshd.hostPublicKey());

            int before = sshd.listeningCount();
            assertEquals(1, before);
            sshd.ensureReloaded(before);
            assertEquals(2, sshd.listeningCount(), sshd.logText());
            assertTrue(sshd.isAlive());
        } finally {
            sshd.close();
        }
        assertFalse(sshd.isAlive());
        assertEquals(List.of("started " + pid, "stopped " + pid), events);
    }

    @Test
    void aConfigSshdRefusesIsReportedWithSshdsOwnLine(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LocalSshd.builder(dir).configLine("NoSuchKeyword yes").start());
        assertTrue(e.getMessage().startsWith("sshd -t rejects the sshd config " + dir.resolve("sshd_config") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("NoSuchKeyword"), e.getMessage());
    }
}
