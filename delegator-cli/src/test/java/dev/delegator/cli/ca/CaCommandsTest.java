package dev.delegator.cli.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.certificates.UserCertificate;
import dev.delegator.cli.CommandUnderTest;
import dev.delegator.layout.Layout;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code delegator ca init|sign} as a user calls them: output, exit codes, the certificate written. */
class CaCommandsTest {
    private TestRoot root;
    private Path caDir;
    private Path pub;

    @BeforeEach
    void setUp() {
        root = TestRoot.create("cacli");
        caDir = root.resolve("ca");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", root.resolve("id_ed25519").toString());
        pub = root.resolve("id_ed25519.pub");
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private Path manifest(String caKey, String auth, String from) throws Exception {
        Path m = root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\n"
                + (caKey == null ? "" : "ca:\n  keys: ['" + caKey + "']\n")
                + "delegations:\n"
                + "  web:\n"
                + "    caller: {user: ci, host: build1}\n"
                + "    delegate: {user: dlg-web, home: /var/lib/dlg-web}\n"
                + "    hosts: [{host: web1, hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'}]\n"
                + "    from: " + from + "\n"
                + "    auth: " + auth + "\n"
                + "    verbs: {restart: {run: /usr/local/sbin/restart-blog}}\n");
        return m;
    }

    @Test
    void initPrintsThePublicKeyAndRefusesASecondInit() throws Exception {
        CommandUnderTest.Run init = CommandUnderTest.run("ca", "init", "--dir", caDir.toString());
        assertEquals(0, init.status(), init::toString);
        assertEquals(Files.readString(caDir.resolve("ca_ed25519.pub")).strip() + "\n", init.out());
        assertTrue(init.out().startsWith("ssh-ed25519 AAAA"), init.out());
        assertTrue(init.out().endsWith(" delegator-ca\n"), init.out());
        CommandUnderTest.Run again = CommandUnderTest.run("ca", "init", "--dir", caDir.toString());
        assertEquals(5, again.status(), again::toString);
        assertEquals("delegator: ca init: " + caDir.resolve("ca_ed25519") + " exists: this directory already holds a CA key "
                + "(nothing changed; use another --dir)\n", again.err());
    }

    @Test
    void signWritesTheCertificateBesideTheKeyWithTheDelegationsRestriction() throws Exception {
        String caKey = CommandUnderTest.run("ca", "init", "--dir", caDir.toString()).out().strip();
        Path m = manifest(caKey, "certificate", "['192.0.2.10', '2001:db8::/32']");
        CommandUnderTest.Run sign = CommandUnderTest.run("ca", "sign", "--dir", caDir.toString(), "--manifest", m.toString(),
                "--validity", "15m", "web", pub.toString());
        assertEquals(0, sign.status(), sign::toString);
        Path cert = root.resolve("id_ed25519-cert.pub");
        UserCertificate c = UserCertificate.read(cert);
        assertEquals(List.of("delegator:web"), c.principals());
        assertEquals(Map.of("force-command", Layout.system().forcedCommand("web"), "source-address", "192.0.2.10,2001:db8::/32"),
                c.criticalOptions());
        assertEquals(Map.of(), c.extensions());
        assertEquals(Duration.ofMinutes(20), Duration.between(c.validAfter(), c.validBefore().orElseThrow()));
        assertEquals("signed " + cert + ": serial 1, key id delegation=web,caller=ci@build1,serial=1, principal delegator:web, valid "
                + c.validAfter() + " to " + c.validBefore().orElseThrow() + "\n", sign.out());
    }

    @Test
    void initNextMakesTheKeySignUsesFromThenOn() throws Exception {
        String first = CommandUnderTest.run("ca", "init", "--dir", caDir.toString()).out().strip();
        CommandUnderTest.Run next = CommandUnderTest.run("ca", "init", "--next", "--dir", caDir.toString(), "--comment", "delegator-ca-2");
        assertEquals(0, next.status(), next::toString);
        String second = next.out().strip();
        assertTrue(second.endsWith(" delegator-ca-2") && !second.equals(first), second);
        assertEquals(second, Files.readString(caDir.resolve("ca_ed25519-2.pub")).strip());
        Path m = manifest(first, "certificate", "['192.0.2.10']");
        Files.writeString(m, Files.readString(m).replace("keys: ['" + first + "']", "keys: ['" + first + "', '" + second + "']"));
        assertEquals(0, CommandUnderTest.run("ca", "sign", "--dir", caDir.toString(), "--manifest", m.toString(), "web", pub.toString()).status());
        UserCertificate c = UserCertificate.read(root.resolve("id_ed25519-cert.pub"));
        assertEquals(dev.delegator.keys.PublicKeyLine.parse(second).fingerprint(), c.caFingerprint());
        CommandUnderTest.Run noCa = CommandUnderTest.run("ca", "init", "--next", "--dir", root.resolve("none").toString());
        assertEquals(5, noCa.status(), noCa::toString);
    }

    @Test
    void revokeAddsToTheKrlWithSshKeygen() throws Exception {
        CommandUnderTest.run("ca", "init", "--dir", caDir.toString());
        CommandUnderTest.Run serial = CommandUnderTest.run("ca", "revoke", "--dir", caDir.toString(), "--serial", "7");
        assertEquals(0, serial.status(), serial::toString);
        Path krl = caDir.resolve("revoked.krl");
        assertEquals("revoked serial 7 in " + krl + "; apply on the delegate hosts installs it (manifest ca.krl)\n", serial.out());
        CommandUnderTest.Run id = CommandUnderTest.run("ca", "revoke", "--dir", caDir.toString(), "--key-id",
                "delegation=web,caller=ci@build1,serial=8");
        assertEquals(0, id.status(), id::toString);
        CommandUnderTest.Run key = CommandUnderTest.run("ca", "revoke", "--dir", caDir.toString(), "--key", pub.toString());
        assertEquals(0, key.status(), key::toString);
        String listed = ExternalCommand.check("ssh-keygen", "-Q", "-l", "-f", krl.toString());
        assertTrue(listed.contains("serial: 7\n"), listed);
        assertTrue(listed.contains("id: delegation=web,caller=ci@build1,serial=8\n"), listed);
        dev.delegator.testkit.CommandResult query = ExternalCommand.run("ssh-keygen", "-Q", "-f", krl.toString(), pub.toString());
        assertEquals(1, query.exitCode(), query::toString);
        assertTrue(query.stdout().endsWith(": REVOKED\n"), query::toString);

        CommandUnderTest.Run zero = CommandUnderTest.run("ca", "revoke", "--dir", caDir.toString(), "--serial", "0");
        assertEquals(2, zero.status(), zero::toString);
        assertTrue(zero.err().startsWith("delegator: ca revoke: serial 0 cannot be revoked by serial"), zero.err());
        CommandUnderTest.Run none = CommandUnderTest.run("ca", "revoke", "--dir", caDir.toString());
        assertEquals(2, none.status(), none::toString);
    }

    @Test
    void lintPrincipalsReportsACommandThatDiffersFromTheCertificate() throws Exception {
        String caKey = CommandUnderTest.run("ca", "init", "--dir", caDir.toString()).out().strip();
        Path m = manifest(caKey, "certificate", "['192.0.2.10']");
        assertEquals(0, CommandUnderTest.run("ca", "sign", "--dir", caDir.toString(), "--manifest", m.toString(), "web", pub.toString()).status());
        Path principals = root.resolve("dlg-web");
        Files.writeString(principals, "restrict,from=\"192.0.2.10\",command=\"/usr/lib/delegator/dispatch other\" delegator:web\n");
        CommandUnderTest.Run lint = CommandUnderTest.run("authorized-keys", "lint", "--principals", "--certificate",
                root.resolve("id_ed25519-cert.pub").toString(), principals.toString());
        assertEquals(1, lint.status(), lint::toString);
        assertTrue(lint.out().contains(principals + ":1:1: command=\"/usr/lib/delegator/dispatch other\" differs from the certificate's "
                + "force-command \"/usr/lib/delegator/dispatch web\": sshd refuses the certificate's logins"), lint.out());
        CommandUnderTest.Run alone = CommandUnderTest.run("authorized-keys", "lint", "--certificate", pub.toString(), principals.toString());
        assertEquals(2, alone.status(), alone::toString);
    }

    @Test
    void signRefusesWhatACertificateCannotCarry() throws Exception {
        String caKey = CommandUnderTest.run("ca", "init", "--dir", caDir.toString()).out().strip();
        CommandUnderTest.Run keyAuth = CommandUnderTest.run("ca", "sign", "--dir", caDir.toString(), "--manifest",
                manifest(caKey, "key", "['192.0.2.10']").toString(), "web", pub.toString());
        assertEquals(3, keyAuth.status(), keyAuth::toString);
        assertTrue(keyAuth.err().startsWith("delegator: ca sign: delegation web has auth: key; set 'auth: certificate' in "), keyAuth.err());

        Path m = manifest(caKey, "certificate", "['192.0.2.10']");
        CommandUnderTest.Run tooLong = CommandUnderTest.run("ca", "sign", "--dir", caDir.toString(), "--manifest", m.toString(),
                "--validity", "90d", "web", pub.toString());
        assertEquals(2, tooLong.status(), tooLong::toString);
        assertEquals("delegator: ca sign: --validity 90d is outside 1m to 31d: certificates are short-lived by design\n", tooLong.err());

        CommandUnderTest.Run noCa = CommandUnderTest.run("ca", "sign", "--dir", root.resolve("nothing").toString(), "--manifest", m.toString(),
                "web", pub.toString());
        assertEquals(5, noCa.status(), noCa::toString);
        assertTrue(noCa.err().startsWith("delegator: ca sign: no CA key in "), noCa.err());
        assertFalse(Files.exists(root.resolve("id_ed25519-cert.pub")));
    }
}
