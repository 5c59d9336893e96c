package dev.delegator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
}
