package dev.delegator.ca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.delegator.certificates.UserCertificate;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CA against the real ssh-keygen: what init writes, and that sign produces exactly the request (read back by ssh-keygen -L). */
class CertificateAuthorityTest {
    private static final String COMMAND = "/usr/lib/delegator/dispatch --conf-dir \"/etc/x y\" blog";
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private TestRoot root;
    private CertificateAuthority ca;
    private PublicKeyLine callerKey;

    @BeforeEach
    void setUp() throws Exception {
        root = TestRoot.create("ca");
        ca = CertificateAuthority.init(root.resolve("ca"), "test-ca");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", root.resolve("id_ed25519").toString());
        callerKey = PublicKeyLine.read(root.resolve("id_ed25519.pub"));
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    private SignRequest request(List<String> from, Duration validity) {
        return new SignRequest("blog", "hg@build1", "delegator:blog", COMMAND, from, callerKey, validity, root.resolve("id_ed25519-cert.pub"));
    }

    private UserCertificate sign(SignRequest r) throws Exception {
        return ca.sign(r, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void initWritesAnOwnerOnlyEd25519KeyAndRefusesASecondTime() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.directory())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.keyFile())));
        assertEquals("ssh-ed25519", ca.publicKey().typeName());
        assertEquals("test-ca", ca.publicKey().comment());
        CaException again = assertThrows(CaException.class, () -> CertificateAuthority.init(ca.directory(), "x"));
        assertEquals(CaException.Kind.REFUSED, again.kind());
        assertTrue(again.getMessage().contains("already holds a CA key"), again.getMessage());
    }

    @Test
    void aCaDirectoryReadableByOthersIsRefused() throws Exception {
        Files.setPosixFilePermissions(ca.directory(), PosixFilePermissions.fromString("rwxr-xr-x"));
        CaException e = assertThrows(CaException.class, () -> CertificateAuthority.open(ca.directory()));
        assertEquals(CaException.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("has mode rwxr-xr-x"), e.getMessage());
    }

    @Test
    void signProducesExactlyTheRequestAsSshKeygenReadsIt() throws Exception {
        UserCertificate c = sign(request(List.of("127.0.0.1", "10.0.0.0/8", "::1"), Duration.ofHours(24)));
        assertEquals(List.of("delegator:blog"), c.principals());
        assertEquals(Map.of(), c.extensions());
        assertEquals(Map.of("force-command", COMMAND, "source-address", "127.0.0.1,10.0.0.0/8,::1"), c.criticalOptions());
        assertEquals(1L, c.serial());
        assertEquals("delegation=blog,caller=hg@build1,serial=1", c.keyId());
        assertEquals(NOW.minus(Duration.ofMinutes(5)), c.validAfter());
        assertEquals(Optional.of(NOW.plus(Duration.ofHours(24))), c.validBefore());
        assertEquals(callerKey.fingerprint(), c.keyFingerprint());

        CommandResult l = ExternalCommand.run("ssh-keygen", "-L", "-f", root.resolve("id_ed25519-cert.pub").toString());
        assertEquals(0, l.exitCode(), l::toString);
        String text = l.stdout();
        assertTrue(text.contains("Type: ssh-ed25519-cert-v01@openssh.com user certificate"), text);
        assertTrue(text.contains("Key ID: \"delegation=blog,caller=hg@build1,serial=1\""), text);
        assertTrue(text.contains("Serial: 1\n"), text);
        assertTrue(text.contains("Principals: \n                delegator:blog\n"), text);
        assertTrue(text.contains("force-command " + COMMAND + "\n"), text);
        assertTrue(text.contains("source-address 127.0.0.1,10.0.0.0/8,::1\n"), text);
        assertTrue(text.contains("Extensions: (none)"), text);
        assertFalse(text.contains("permit-"), text);
    }

    @Test
    void serialsAreUniqueAndEverySignatureIsLogged() throws Exception {
        UserCertificate a = sign(request(List.of("127.0.0.1"), Duration.ofMinutes(15)));
        UserCertificate b = sign(request(List.of("127.0.0.1"), Duration.ofMinutes(15)));
        assertEquals(1L, a.serial());
        assertEquals(2L, b.serial());
        List<String> lines = Files.readAllLines(ca.logFile());
        assertEquals(2, lines.size());
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("2", second.get("serial").getAsString());
        assertEquals("delegation=blog,caller=hg@build1,serial=2", second.get("key_id").getAsString());
        assertEquals(callerKey.fingerprint(), second.get("fingerprint").getAsString());
        assertEquals(NOW.minus(Duration.ofMinutes(5)).toString(), second.get("valid_after").getAsString());
        assertEquals(NOW.plus(Duration.ofMinutes(15)).toString(), second.get("valid_before").getAsString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ca.logFile())));
    }

    @Test
    void aFromASourceAddressCannotExpressIsRefusedWithoutSigning() throws Exception {
        for (String bad : List.of("192.0.2.*", "!10.0.0.1", "build1.example.org")) {
            CaException e = assertThrows(CaException.class, () -> sign(request(List.of("127.0.0.1", bad), Duration.ofHours(1))));
            assertEquals(CaException.Kind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith("delegation blog: from entry \"" + bad + "\" is a "), e.getMessage());
            assertTrue(e.getMessage().contains("source-address cannot express"), e.getMessage());
        }
        assertFalse(Files.exists(root.resolve("id_ed25519-cert.pub")));
        assertFalse(Files.exists(ca.logFile()));
    }

    @Test
    void longValiditiesCertificatesAndTheCaKeyItselfAreRefused() throws Exception {
        CaException longOne = assertThrows(CaException.class, () -> sign(request(List.of("127.0.0.1"), Duration.ofDays(32))));
        assertEquals("validity (768h) must be between 1m and 31d: certificates are short-lived by design", longOne.getMessage());
        sign(request(List.of("127.0.0.1"), Duration.ofHours(1)));
        PublicKeyLine cert = PublicKeyLine.read(root.resolve("id_ed25519-cert.pub"));
        SignRequest again = new SignRequest("blog", "hg@build1", "delegator:blog", COMMAND, List.of("127.0.0.1"), cert, Duration.ofHours(1),
                root.resolve("x-cert.pub"));
        assertTrue(assertThrows(CaException.class, () -> sign(again)).getMessage().contains("already a certificate"));
        SignRequest self = new SignRequest("blog", "hg@build1", "delegator:blog", COMMAND, List.of("127.0.0.1"), ca.publicKey(),
                Duration.ofHours(1), root.resolve("x-cert.pub"));
        assertTrue(assertThrows(CaException.class, () -> sign(self)).getMessage().contains("the CA key itself"));
        SignRequest empty = new SignRequest("blog", "hg@build1", "", COMMAND, List.of("127.0.0.1"), callerKey, Duration.ofHours(1),
                root.resolve("x-cert.pub"));
        assertTrue(assertThrows(CaException.class, () -> sign(empty)).getMessage().contains("must be one non-empty name"));
        assertFalse(Files.exists(root.resolve("x-cert.pub")));
    }
}
