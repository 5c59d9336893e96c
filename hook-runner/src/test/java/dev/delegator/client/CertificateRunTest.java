package dev.delegator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MINA client offering a user certificate to the real sshd (TrustedUserCAKeys and an
 * AuthorizedPrincipalsFile whose line forces the command), ed25519 and RSA; and refusing, before
 * connecting, a certificate that is expired, not yet valid, for another delegation or another key.
 * Certificates are signed by ssh-keygen -s, the reference implementation. Runs as root.
 */
class CertificateRunTest {
    private static final DateTimeFormatter T = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private TestRoot root;
    private TestUsers users;
    private TestUser user;
    private PrivateSshd sshd;
    private Path caller;
    private Path ca;
    private Path knownHosts;
    private DelegationRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh-keygen", "useradd");
        root = TestRoot.create("certrun");
        users = new TestUsers();
        Path homes = dir(root.resolve("homes"), "rwxr-xr-x");
        user = users.create("hc", homes);
        caller = dir(root.resolve("caller"), "rwx------");
        Path trust = dir(root.resolve("trust"), "rwxr-xr-x");
        ca = trust.resolve("ca");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", ca.toString());
        Path principals = dir(root.resolve("principals"), "rwxr-xr-x");
        Files.writeString(principals.resolve(user.name()), "restrict,command=\"echo certified $SSH_ORIGINAL_COMMAND\" delegator:test\n");
        Files.setPosixFilePermissions(principals.resolve(user.name()), PosixFilePermissions.fromString("rw-r--r--"));
        Path sshdDir = root.resolve("sshd");
        Files.createDirectory(sshdDir);
        sshd = PrivateSshd.builder(sshdDir)
                .authorizedKeysFile("none")
                .configLine("TrustedUserCAKeys " + ca + ".pub")
                .configLine("AuthorizedPrincipalsFile " + principals + "/%u")
                // only the -cert algorithms: an RSA certificate must be signed with rsa-sha2-512
                .configLine("PubkeyAcceptedAlgorithms ssh-ed25519-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com")
                .start();
        knownHosts = sshd.writeKnownHosts(caller.resolve("known_hosts"));
        runner = new DelegationRunner(RunOptions.defaults());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (runner != null) {
            runner.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        users.close();
        root.close();
    }

    private static Path dir(Path p, String mode) throws Exception {
        Files.createDirectory(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    private Path key(String type) {
        Path key = caller.resolve("id_" + type);
        if (!Files.exists(key)) {
            ExternalCommand.check("ssh-keygen", "-q", "-t", type, "-N", "", "-f", key.toString());
        }
        return key;
    }

    /** {@code ssh-keygen -s} with every field explicit, as delegator ca sign calls it. */
    private Path sign(Path key, String principal, Instant from, Instant to) {
        ExternalCommand.check("ssh-keygen", "-q", "-s", ca.toString(), "-I", "test-id", "-n", principal, "-z", "7",
                "-V", T.format(from) + ":" + T.format(to), "-O", "clear", "-O", "force-command=echo certified $SSH_ORIGINAL_COMMAND",
                key + ".pub");
        return Path.of(key + "-cert.pub");
    }

    private Path sign(Path key) {
        return sign(key, "delegator:test", Instant.now().minusSeconds(300), Instant.now().plusSeconds(3600));
    }

    private record Outcome(RunResult result, String out) {}

    private Outcome run(Path key, Path certificate) {
        DelegationTarget t = new DelegationTarget("test", "127.0.0.1", sshd.port(), user.name(), Material.file(key), Material.file(knownHosts),
                PinAdvice.KNOWN_HOSTS_LINE, Optional.of(Material.file(certificate)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunResult r = runner.run(t, RunRequest.of("hello"), new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream());
        return new Outcome(r, out.toString(StandardCharsets.UTF_8));
    }

    private int connections() {
        return sshd.logText().split("Connection from ", -1).length - 1;
    }

    @Test
    void anEd25519CertificateLogsInAndRunsTheForcedCommand() throws Exception {
        Path key = key("ed25519");
        Outcome o = run(key, sign(key));
        assertEquals(0, o.result().exitStatus(), o.result()::toString);
        assertEquals("certified hello\n", o.out());
        assertTrue(sshd.logText().contains("Accepted publickey for " + user.name() + " from 127.0.0.1"), sshd.logText());
        assertTrue(sshd.logText().contains("ED25519-CERT"), sshd.logText());
    }

    @Test
    void anRsaCertificateLogsInWithRsaSha2512() throws Exception {
        Path key = key("rsa");
        Outcome o = run(key, sign(key));
        assertEquals(0, o.result().exitStatus(), o.result()::toString);
        assertEquals("certified hello\n", o.out());
        assertTrue(sshd.logText().contains("RSA-CERT"), sshd.logText());
    }

    @Test
    void anExpiredOrNotYetValidCertificateFailsBeforeConnecting() throws Exception {
        Path key = key("ed25519");
        Path cert = sign(key, "delegator:test", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T01:00:00Z"));
        Outcome expired = run(key, cert);
        assertEquals(RunResult.CONNECTION, expired.result().exitStatus());
        assertEquals("certificate " + cert + " (test-id) expired at 2026-01-01T01:00:00Z; renew with delegator ca sign test " + key + ".pub",
                expired.result().message().orElseThrow());
        Instant later = Instant.now().plusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        sign(key, "delegator:test", later, later.plusSeconds(3600));
        Outcome early = run(key, cert);
        assertEquals(RunResult.CONNECTION, early.result().exitStatus());
        assertTrue(early.result().message().orElseThrow().contains(" (test-id) is not valid before " + later + "; renew with"),
                early.result().message().orElseThrow());
        assertEquals(0, connections(), "nothing was sent to sshd");
    }

    @Test
    void aCertificateForAnotherDelegationOrAnotherKeyIsRefusedBeforeAuthenticating() throws Exception {
        Path key = key("ed25519");
        Path foreign = sign(key, "delegator:other", Instant.now().minusSeconds(300), Instant.now().plusSeconds(3600));
        Outcome o = run(key, foreign);
        assertEquals(RunResult.CONNECTION, o.result().exitStatus());
        assertTrue(o.result().message().orElseThrow().contains("(test-id) is for delegator:other, not delegator:test; renew with"),
                o.result().message().orElseThrow());
        assertEquals(0, connections());

        Path other = key("ecdsa");
        Path otherCert = sign(other);
        Outcome mismatch = run(key, otherCert);
        assertEquals(RunResult.CONNECTION, mismatch.result().exitStatus());
        assertEquals("certificate " + otherCert + " (test-id) certifies another key than the private key; sign this key's .pub",
                mismatch.result().message().orElseThrow());
        assertFalse(sshd.logText().contains("Accepted publickey"), sshd.logText());
    }
}
