package dev.delegator.cli.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.CommandUnderTest;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code delegator ca init --host} and {@code ca sign-host}: the host CA apart from the user CA, and what a host certificate holds. */
class CaSignHostTest {
    private TestRoot root;
    private Path hostCa;
    private Path userCa;
    private Path hostPub;

    @BeforeEach
    void setUp() {
        root = TestRoot.create("cahost");
        hostCa = root.resolve("host-ca");
        userCa = root.resolve("ca");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", root.resolve("ssh_host_ed25519_key").toString());
        hostPub = root.resolve("ssh_host_ed25519_key.pub");
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    @Test
    void signHostWritesAHostCertificateWithExactlyTheNames() throws Exception {
        CommandUnderTest.Run init = CommandUnderTest.run("ca", "init", "--host", "--dir", hostCa.toString());
        assertEquals(0, init.status(), init::toString);
        assertTrue(init.out().startsWith("ssh-ed25519 AAAA") && init.out().endsWith(" delegator-host-ca\n"), init.out());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hostCa)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(hostCa.resolve("ca_ed25519"))));

        CommandUnderTest.Run sign = CommandUnderTest.run("ca", "sign-host", "--dir", hostCa.toString(), "--validity", "7d",
                hostPub.toString(), "web1.example.org", "192.0.2.7");
        assertEquals(0, sign.status(), sign::toString);
        Path cert = root.resolve("ssh_host_ed25519_key-cert.pub");
        assertTrue(sign.out().startsWith("signed " + cert + ": host certificate, serial 1, key id host=web1.example.org,serial=1, "
                + "principals web1.example.org,192.0.2.7, valid "), sign.out());
        // what OpenSSH itself reads in it
        String listed = ExternalCommand.check("ssh-keygen", "-L", "-f", cert.toString());
        assertTrue(listed.contains("Type: ssh-ed25519-cert-v01@openssh.com host certificate"), listed);
        assertTrue(listed.contains("Key ID: \"host=web1.example.org,serial=1\""), listed);
        assertTrue(listed.contains("Principals: \n                web1.example.org\n                192.0.2.7\n"), listed);
        assertTrue(listed.contains("Critical Options: (none)\n"), listed);
        assertTrue(listed.contains("Extensions: (none)\n"), listed);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)));
        String log = Files.readString(hostCa.resolve("signed.jsonl"));
        assertTrue(log.contains("\"type\":\"host\",\"principals\":[\"web1.example.org\",\"192.0.2.7\"]"), log);
    }

    @Test
    void theTwoCasAreKeptApart() throws Exception {
        CommandUnderTest.run("ca", "init", "--host", "--dir", hostCa.toString());
        CommandUnderTest.run("ca", "init", "--dir", userCa.toString());
        CommandUnderTest.Run withUserCa = CommandUnderTest.run("ca", "sign-host", "--dir", userCa.toString(), hostPub.toString(), "web1");
        assertEquals(5, withUserCa.status(), withUserCa::toString);
        assertEquals("delegator: ca sign-host: " + userCa + " is a user CA: host certificates are signed by a host CA of their own "
                + "(create it with: delegator ca init --host)\n", withUserCa.err());
        Path m = root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\nca:\n  keys: ['" + Files.readString(hostCa.resolve("ca_ed25519.pub")).strip() + "']\n"
                + "delegations:\n  web:\n    caller: {user: ci, host: build1}\n    delegate: {user: dlg-web, home: /var/lib/dlg-web}\n"
                + "    hosts: [{host: web1, hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'}]\n"
                + "    from: ['192.0.2.10']\n    auth: certificate\n    verbs: {restart: {run: /usr/local/sbin/restart-blog}}\n");
        CommandUnderTest.Run userWithHostCa = CommandUnderTest.run("ca", "sign", "--dir", hostCa.toString(), "--manifest", m.toString(),
                "web", hostPub.toString());
        assertEquals(5, userWithHostCa.status(), userWithHostCa::toString);
        assertEquals("delegator: ca sign: " + hostCa + " is a host CA (ca init --host): it signs host certificates only; sign caller "
                + "certificates with the user CA\n", userWithHostCa.err());
        CommandUnderTest.Run nextWrong = CommandUnderTest.run("ca", "init", "--next", "--dir", hostCa.toString());
        assertEquals(5, nextWrong.status(), nextWrong::toString);
        CommandUnderTest.Run next = CommandUnderTest.run("ca", "init", "--next", "--host", "--dir", hostCa.toString());
        assertEquals(0, next.status(), next::toString);
        assertTrue(Files.exists(hostCa.resolve("ca_ed25519-2")));
        assertFalse(Files.exists(root.resolve("ssh_host_ed25519_key-cert.pub")));
    }

    @Test
    void namesThatCannotBeExactPrincipalsAreRefused() throws Exception {
        CommandUnderTest.run("ca", "init", "--host", "--dir", hostCa.toString());
        CommandUnderTest.Run wild = CommandUnderTest.run("ca", "sign-host", "--dir", hostCa.toString(), hostPub.toString(), "*.example.org");
        assertEquals(2, wild.status(), wild::toString);
        assertEquals("delegator: ca sign-host: host name '*.example.org' is a pattern; sign exact names (a wildcard would vouch for "
                + "other hosts)\n", wild.err());
        CommandUnderTest.Run upper = CommandUnderTest.run("ca", "sign-host", "--dir", hostCa.toString(), hostPub.toString(), "Web1");
        assertEquals(2, upper.status(), upper::toString);
        CommandUnderTest.Run none = CommandUnderTest.run("ca", "sign-host", "--dir", hostCa.toString(), hostPub.toString());
        assertEquals(2, none.status(), none::toString);
        CommandUnderTest.Run tooLong = CommandUnderTest.run("ca", "sign-host", "--dir", hostCa.toString(), "--validity", "400d",
                hostPub.toString(), "web1");
        assertEquals(2, tooLong.status(), tooLong::toString);
        assertEquals("delegator: ca sign-host: --validity 400d is outside 1h to 366d\n", tooLong.err());
        CommandUnderTest.Run cert = CommandUnderTest.run("ca", "sign-host", "--dir", hostCa.toString(), hostCa.resolve("ca_ed25519.pub").toString(),
                "web1");
        assertEquals(3, cert.status(), cert::toString);
        assertFalse(Files.exists(root.resolve("ssh_host_ed25519_key-cert.pub")));
    }
}
