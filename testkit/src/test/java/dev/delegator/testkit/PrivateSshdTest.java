package dev.delegator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivateSshdTest {

    @Test
    void forcedCommandRunsForAFreshUserAndAnUnknownHostIsRefused() throws Exception {
        Prerequisites.requireRoot();
        try (TestRoot root = TestRoot.create("testkit");
                TestUsers users = new TestUsers()) {
            Path keys = root.resolve("keys");
            Files.createDirectory(keys);
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path homes = root.resolve("homes");
            Files.createDirectory(homes);
            TestUser user = users.create("tk", homes);
            Path key = root.resolve("id_ed25519");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
            Path authorized = keys.resolve(user.name());
            Files.writeString(authorized, "restrict,command=\"echo forced:$SSH_ORIGINAL_COMMAND\" "
                    + Files.readString(Path.of(key + ".pub")));
            Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));

            try (PrivateSshd sshd = PrivateSshd.builder(root.resolve("sshd"))
                    .authorizedKeysFile(keys + "/%u")
                    .start()) {
                Path knownHosts = sshd.writeKnownHosts(root.resolve("known_hosts"));
                CommandResult ok = new OpenSshClient(sshd.port(), user.name(), key, knownHosts).run("id");
                assertEquals(0, ok.exitCode(), ok.toString());
                assertEquals("forced:id\n", ok.stdout());

                Path empty = Files.writeString(root.resolve("empty_known_hosts"), "");
                CommandResult refused = new OpenSshClient(sshd.port(), user.name(), key, empty).run(List.of(), "id");
                assertNotEquals(0, refused.exitCode());
                assertTrue(refused.stderr().contains("Host key verification failed"), refused.stderr());
            }
        }
    }

    @Test
    void penaltiesAreOffWhereSshdKnowsTheKeywordAndTheLineIsLeftOutWhereNot() throws Exception {
        Prerequisites.requireRoot();
        try (TestRoot root = TestRoot.create("testkit");
                PrivateSshd sshd = PrivateSshd.builder(root.resolve("sshd")).start()) {
            String config = Files.readString(sshd.configFile());
            CommandResult effective = ExternalCommand.run(Prerequisites.findCommand("sshd").toString(), "-T", "-f",
                    sshd.configFile().toString(), "-C", "user=nobody,host=localhost,addr=127.0.0.1");
            assertEquals(0, effective.exitCode(), effective::toString);
            if (sshd.version().hasPerSourcePenalties()) {
                assertTrue(config.contains("\nPerSourcePenalties no\n"), config);
                assertTrue(effective.stdout().contains("\npersourcepenalties no\n"), effective.stdout());
            } else {
                assertFalse(config.contains("PerSourcePenalties"), config);
                assertFalse(effective.stdout().contains("persourcepenalties"), "sshd " + sshd.version() + " has no penalties");
            }
        }
    }

    @Test
    void sessionProcessesAreTheConnectionsNeverTheListener() throws Exception {
        Prerequisites.requireRoot();
        try (TestRoot root = TestRoot.create("testkit");
                TestUsers users = new TestUsers()) {
            Path keys = root.resolve("keys");
            Files.createDirectory(keys);
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path homes = root.resolve("homes");
            Files.createDirectory(homes);
            TestUser user = users.create("tk", homes);
            Path key = root.resolve("id_ed25519");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
            Path authorized = keys.resolve(user.name());
            Files.writeString(authorized, "restrict,command=\"sleep 60\" " + Files.readString(Path.of(key + ".pub")));
            Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
            try (PrivateSshd sshd = PrivateSshd.builder(root.resolve("sshd")).authorizedKeysFile(keys + "/%u").start()) {
                assertTrue(sshd.sessionProcesses().isEmpty(), "no connection yet");
                Path knownHosts = sshd.writeKnownHosts(root.resolve("known_hosts"));
                Process client = new ProcessBuilder(new OpenSshClient(sshd.port(), user.name(), key, knownHosts).command(List.of(), "x"))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                try {
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a safety net
                    while (ExternalCommand.run("pgrep", "-u", user.name(), "-x", "sleep").exitCode() != 0) {
                        assertTrue(System.nanoTime() < deadline && client.isAlive(), "the forced sleep never started");
                        Thread.sleep(20);
                    }
                    List<ProcessHandle> sessions = sshd.sessionProcesses();
                    // the privileged monitor and the user's process for this one connection
                    assertEquals(2, sessions.size(), sessions::toString);
                    assertTrue(sessions.stream().noneMatch(p -> p.pid() == sshd.pid()), "the listener is not a session process");
                    sessions.forEach(ProcessHandle::destroyForcibly);
                    assertTrue(client.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the client saw its session go");
                    assertTrue(sshd.isAlive(), "killing the sessions leaves the listener");
                } finally {
                    client.destroyForcibly();
                }
            }
        }
    }
}
