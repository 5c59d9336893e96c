package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The end-to-end proof for keys and files: keys we generate log in through the real OpenSSH
 * client to a real sshd (StrictModes on), with an authorized_keys file written by AtomicFile
 * (root:root 0644), and sshd logs the same SHA256 fingerprint we compute.
 */
class GeneratedKeyLogsInThroughOpenSshTest {

    @Test
    void everyKeyTypeWeGenerateAuthenticatesWithTheRealSshClientAndSshd() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh", "ssh-keygen");
        try (TestRoot root = TestRoot.create("keys");
                TestUsers users = new TestUsers()) {
            Path keysDir = Files.createDirectory(root.resolve("authorized_keys"));
            Files.setPosixFilePermissions(keysDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path callerDir = Files.createDirectory(root.resolve("caller"));
            Files.setPosixFilePermissions(callerDir, PosixFilePermissions.fromString("rwx------"));
            TestUser delegate = users.create("dk", Files.createDirectory(root.resolve("homes")));

            KeySpec[] specs = {KeySpec.ed25519(), new KeySpec(GeneratedKeyType.ECDSA, 384), new KeySpec(GeneratedKeyType.RSA, 3072)};
            StringBuilder authorized = new StringBuilder();
            GeneratedKeyPair[] pairs = new GeneratedKeyPair[specs.length];
            for (int i = 0; i < specs.length; i++) {
                pairs[i] = SshKeyGenerator.generate(specs[i], "delegator-test-" + specs[i].type());
                KeyFiles.writeKeyPair(callerDir.resolve("id_" + i), pairs[i], WriteMode.CREATE_NEW, Optional.empty());
                // each key may run only its own echo: proves which key sshd matched
                authorized.append("restrict,command=\"echo key-").append(i).append("\" ")
                        .append(PublicKeyLine.read(KeyFiles.publicKeyPath(callerDir.resolve("id_" + i))).toLine()).append('\n');
            }
            Path authorizedKeys = keysDir.resolve(delegate.name());
            AtomicFile.replace(authorizedKeys, authorized.toString().getBytes(StandardCharsets.UTF_8), FileOwner.root(),
                    PosixFilePermissions.fromString("rw-r--r--"), FileSnapshot.absent(authorizedKeys));

            try (PrivateSshd sshd = PrivateSshd.builder(root.resolve("sshd")).authorizedKeysFile(keysDir + "/%u").start()) {
                Path knownHosts = sshd.writeKnownHosts(root.resolve("known_hosts"));
                for (int i = 0; i < specs.length; i++) {
                    CommandResult r = new OpenSshClient(sshd.port(), delegate.name(), callerDir.resolve("id_" + i), knownHosts)
                            .run("anything");
                    assertEquals(0, r.exitCode(), specs[i] + ": " + r + "\n" + sshd.logText());
                    assertEquals("key-" + i + "\n", r.stdout());
                    String accepted = "Accepted publickey for " + delegate.name() + " from 127.0.0.1";
                    String withFingerprint = pairs[i].fingerprint();
                    assertTrue(sshd.logText().lines().anyMatch(l -> l.contains(accepted) && l.endsWith(withFingerprint)),
                            "sshd did not log " + withFingerprint + ":\n" + sshd.logText());
                }
            }
        }
    }
}
