package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our keys against OpenSSH's ssh-keygen, both ways, for every type and size. */
class KeysDifferentialTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needSshKeygen() {
        SshKeygen.require();
    }

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of(GeneratedKeyType.ED25519, 0),
                Arguments.of(GeneratedKeyType.ECDSA, 256),
                Arguments.of(GeneratedKeyType.ECDSA, 384),
                Arguments.of(GeneratedKeyType.ECDSA, 521),
                Arguments.of(GeneratedKeyType.RSA, 3072),
                Arguments.of(GeneratedKeyType.RSA, 4096));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("specs")
    void ourKeysLoadInSshKeygenWithTheSamePublicKeyAndFingerprint(GeneratedKeyType type, int bits) throws Exception {
        KeySpec spec = new KeySpec(type, bits);
        GeneratedKeyPair kp = SshKeyGenerator.generate(spec, "delegator test " + type);
        Path priv = dir.resolve("id_" + type);
        KeyFiles.writeKeyPair(priv, kp, WriteMode.CREATE_NEW, Optional.empty());

        String privText = Files.readString(priv);
        assertTrue(privText.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n"), privText);
        assertTrue(privText.endsWith("-----END OPENSSH PRIVATE KEY-----\n"), privText);

        // -y derives the public key from the private file: same type, blob and comment
        String derived = SshKeygen.runOk("-y", "-f", priv.toString()).out().strip();
        assertEquals(kp.publicKeyLine(), derived);
        assertEquals(kp.publicKeyLine() + "\n", Files.readString(KeyFiles.publicKeyPath(priv)));

        // -l prints "bits SHA256:… comment (TYPE)" — our fingerprint line, byte for byte
        assertEquals(kp.fingerprintLine(), SshKeygen.runOk("-l", "-f", priv.toString()).out().strip());
        assertEquals(kp.fingerprintLine(),
                SshKeygen.runOk("-l", "-f", KeyFiles.publicKeyPath(priv).toString()).out().strip());

        // and it reads back in ours as the same key
        KeyPair loaded = KeyFiles.loadPrivateKey(priv);
        assertEquals(kp.fingerprint(), PublicKeyLine.of(loaded.getPublic(), "").fingerprint());
        assertArrayEquals(kp.keyPair().getPublic().getEncoded(), loaded.getPublic().getEncoded());
    }

    static Stream<Arguments> sshKeygenTypes() {
        return Stream.of(
                Arguments.of("ed25519", 256),
                Arguments.of("ecdsa", 256),
                Arguments.of("ecdsa", 384),
                Arguments.of("ecdsa", 521),
                Arguments.of("rsa", 3072));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("sshKeygenTypes")
    void sshKeygenKeysLoadInOursWithTheSameFingerprint(String type, int bits) throws Exception {
        Path priv = dir.resolve("id_" + type + bits);
        SshKeygen.runOk("-q", "-t", type, "-b", Integer.toString(bits), "-N", "", "-C", "made by ssh-keygen", "-f", priv.toString());
        String expected = SshKeygen.runOk("-l", "-f", priv.toString()).out().split(" ")[1];

        KeyPair loaded = KeyFiles.loadPrivateKey(priv);
        assertEquals(expected, PublicKeyLine.of(loaded.getPublic(), "").fingerprint());
        // the clear header of ssh-keygen's file holds the same key (what a plan compares .pub files with)
        assertEquals(expected, KeyFiles.storedPublicKey(priv).orElseThrow().fingerprint());

        PublicKeyLine pub = PublicKeyLine.read(KeyFiles.publicKeyPath(priv));
        assertEquals(expected, pub.fingerprint());
        assertEquals("made by ssh-keygen", pub.comment());
        assertEquals(GeneratedKeyType.parse(type).sshName(bits), pub.typeName());
        assertArrayEquals(loaded.getPublic().getEncoded(), pub.toPublicKey().getEncoded());
    }

    @Test
    void pemFormatKeysFromSshKeygenLoadToo() throws Exception {
        Path priv = dir.resolve("id_rsa_pem");
        SshKeygen.runOk("-q", "-t", "rsa", "-b", "3072", "-m", "PEM", "-N", "", "-f", priv.toString());
        String expected = SshKeygen.runOk("-l", "-f", priv.toString()).out().split(" ")[1];
        assertEquals(expected, PublicKeyLine.of(KeyFiles.loadPrivateKey(priv).getPublic(), "").fingerprint());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sshKeygenTypes")
    void aKeyWithAPassphraseIsRefusedWithOurMessage(String type, int bits) throws Exception {
        Path priv = dir.resolve("id_enc_" + type + bits);
        SshKeygen.runOk("-q", "-t", type, "-b", Integer.toString(bits), "-N", "correct horse", "-f", priv.toString());

        EncryptedKeyException e = assertThrows(EncryptedKeyException.class, () -> KeyFiles.loadPrivateKey(priv));
        assertEquals(priv.toString(), e.origin());
        assertEquals(priv + " is encrypted with a passphrase; delegations run unattended and need a key without one"
                + " (create one with: delegator keygen --out PATH, or remove the passphrase with: ssh-keygen -p -N '' -f "
                + priv + ")", e.getMessage());
    }

    @Test
    void aPublicKeyLineFromSshKeygenRoundTrips() throws Exception {
        Path priv = dir.resolve("id_rt");
        SshKeygen.runOk("-q", "-t", "ed25519", "-N", "", "-C", "two words", "-f", priv.toString());
        String text = Files.readString(KeyFiles.publicKeyPath(priv), StandardCharsets.UTF_8);
        assertEquals(text.strip(), PublicKeyLine.parse(text).toLine());
    }

    @Test
    void ourPrivateKeyIsWrittenOwnerOnly() throws Exception {
        Path priv = dir.resolve("id_mode");
        KeyFiles.writeKeyPair(priv, SshKeyGenerator.generate(KeySpec.ed25519(), ""), WriteMode.CREATE_NEW, Optional.empty());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(KeyFiles.publicKeyPath(priv))));
        // ssh-keygen -y refuses group/other readable private keys owned by us: ours passes
        SshKeygen.runOk("-y", "-f", priv.toString());
    }
}
