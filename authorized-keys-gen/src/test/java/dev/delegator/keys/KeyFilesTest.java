package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.files.FileOwner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyFilesTest {
    @TempDir
    Path dir;

    private Path writeKey(String name) throws Exception {
        Path priv = dir.resolve(name);
        KeyFiles.writeKeyPair(priv, SshKeyGenerator.generate(KeySpec.ed25519(), "c"), WriteMode.CREATE_NEW, Optional.empty());
        return priv;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rw-r--r--, 0644, readable by others",
        "rw-r-----, 0640, readable by its group",
        "rw----r--, 0604, readable by others",
        "rw--w----, 0620, accessible by its group",
        "rw-------x, 0601, accessible by others",
    })
    void aKeyOthersCanReadIsRefusedWithTheFix(String perms, String octal, String what) throws Exception {
        Path priv = writeKey("id_ed25519");
        String p = perms.length() == 10 ? "rw------x" : perms;
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString(p));
        UnsafeKeyFileException e = assertThrows(UnsafeKeyFileException.class, () -> KeyFiles.loadPrivateKey(priv));
        assertEquals(priv + " is " + what + " (mode " + octal + "); a private key must be readable by its owner only: run: chmod 600 "
                + priv, e.getMessage());
        assertEquals(priv, e.path());
    }

    @Test
    void ownerOnlyModesLoad() throws Exception {
        Path priv = writeKey("id_ed25519");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("r--------"));
        KeyFiles.loadPrivateKey(priv);
    }

    @Test
    void createNewNeverOverwritesAndWritesNothing() throws Exception {
        Path priv = writeKey("id_ed25519");
        byte[] before = Files.readAllBytes(priv);
        byte[] pubBefore = Files.readAllBytes(KeyFiles.publicKeyPath(priv));
        GeneratedKeyPair other = SshKeyGenerator.generate(KeySpec.ed25519(), "other");

        KeyFileExistsException e = assertThrows(KeyFileExistsException.class,
                () -> KeyFiles.writeKeyPair(priv, other, WriteMode.CREATE_NEW, Optional.empty()));
        assertEquals(priv + " already exists; not overwriting it (use --force to replace the key pair)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(priv));
        assertArrayEquals(pubBefore, Files.readAllBytes(KeyFiles.publicKeyPath(priv)));
    }

    @Test
    void anExistingPubAloneAlsoBlocksAndNoPrivateKeyIsLeft() throws Exception {
        Path priv = dir.resolve("id_x");
        Files.writeString(KeyFiles.publicKeyPath(priv), "someone else's\n");
        KeyFileExistsException e = assertThrows(KeyFileExistsException.class,
                () -> KeyFiles.writeKeyPair(priv, SshKeyGenerator.generate(KeySpec.ed25519(), ""), WriteMode.CREATE_NEW, Optional.empty()));
        assertEquals(KeyFiles.publicKeyPath(priv), e.path());
        assertFalse(Files.exists(priv));
        assertEquals("someone else's\n", Files.readString(KeyFiles.publicKeyPath(priv)));
    }

    @Test
    void overwriteReplacesBoth() throws Exception {
        Path priv = writeKey("id_ed25519");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
        GeneratedKeyPair next = SshKeyGenerator.generate(KeySpec.ed25519(), "next");
        KeyFiles.writeKeyPair(priv, next, WriteMode.OVERWRITE, Optional.of(FileOwner.root()));
        assertArrayEquals(next.openSshPrivateKey(), Files.readAllBytes(priv));
        assertEquals(next.publicKeyLine() + "\n", Files.readString(KeyFiles.publicKeyPath(priv)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(priv)));
        assertEquals(next.fingerprint(), PublicKeyLine.of(KeyFiles.loadPrivateKey(priv).getPublic(), "").fingerprint());
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path priv = dir.resolve("nope/id_ed25519");
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> KeyFiles.writeKeyPair(priv, SshKeyGenerator.generate(KeySpec.ed25519(), ""), WriteMode.CREATE_NEW, Optional.empty()));
        assertTrue(e.getMessage().contains("directory " + dir.resolve("nope") + " does not exist"), e.getMessage());
    }

    @Test
    void noTempOrPartialFilesRemain() throws Exception {
        writeKey("id_ed25519");
        try (var s = Files.list(dir)) {
            // new files are created without lock files (AtomicFile's lock-free creation)
            assertEquals(java.util.List.of("id_ed25519", "id_ed25519.pub"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void garbageIsAFormatError() throws Exception {
        Path priv = dir.resolve("garbage");
        Files.writeString(priv, "not a key\n");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> KeyFiles.loadPrivateKey(priv));
        assertTrue(e.getMessage().startsWith(priv + " holds no private key"), e.getMessage());
    }

    @Test
    void aFileHoldingTwoKeysIsRefusedNotItsFirstKeyUsed() throws Exception {
        Path two = dir.resolve("two");
        byte[] a = SshKeyGenerator.generate(KeySpec.ed25519(), "a").openSshPrivateKey();
        byte[] b = SshKeyGenerator.generate(KeySpec.ed25519(), "b").openSshPrivateKey();
        Files.write(two, (new String(a, StandardCharsets.US_ASCII) + new String(b, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
        Files.setPosixFilePermissions(two, PosixFilePermissions.fromString("rw-------"));
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> KeyFiles.loadPrivateKey(two));
        assertEquals(two + " holds more than one private key; use one key per file", e.getMessage());
    }

    @Test
    void theCheapHalfChecksTheFileBeforeAnyDecoding() throws Exception {
        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "not a key\n");
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rw-r-----"));
        // refused for its mode although its contents are no key: the mode is checked first, without decoding
        UnsafeKeyFileException e = assertThrows(UnsafeKeyFileException.class, () -> KeyFiles.readPrivateKeyFile(garbage));
        assertTrue(e.getMessage().startsWith(garbage + " is readable by its group (mode 0640)"), e.getMessage());
        KeyFormatException d = assertThrows(KeyFormatException.class, () -> KeyFiles.readPrivateKeyFile(dir));
        assertEquals(dir + " is not a regular file", d.getMessage());
        Path priv = writeKey("id_ed25519");
        assertArrayEquals(Files.readAllBytes(priv), KeyFiles.readPrivateKeyFile(priv));
    }

    @Test
    void keyTextFromElsewhereIsDecodedUnderTheSamePolicyAndNamedByItsOrigin() throws Exception {
        GeneratedKeyPair kp = SshKeyGenerator.generate(KeySpec.ed25519(), "a");
        assertEquals(kp.fingerprint(), PublicKeyLine.of(KeyFiles.decodePrivateKey(kp.openSshPrivateKey(), "environment variable K")
                .getPublic(), "").fingerprint());
        byte[] twice = (new String(kp.openSshPrivateKey(), StandardCharsets.US_ASCII).repeat(2)).getBytes(StandardCharsets.US_ASCII);
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> KeyFiles.decodePrivateKey(twice, "environment variable K"));
        assertEquals("environment variable K holds more than one private key; use one key per file", e.getMessage());
    }

    @Test
    void privateKeyBytesAreNotInToString() {
        GeneratedKeyPair kp = SshKeyGenerator.generate(KeySpec.ed25519(), "");
        String s = kp.toString();
        assertFalse(s.contains(new String(kp.openSshPrivateKey(), StandardCharsets.US_ASCII).substring(40, 80)));
        assertTrue(s.contains(kp.fingerprint()));
    }

    @Test
    void theStoredPublicKeyIsTheOneOfThePairAndOnlyAnOpenSshFileHasOne() throws Exception {
        Path priv = writeKey("id_ed25519");
        assertEquals(PublicKeyLine.of(KeyFiles.loadPrivateKey(priv).getPublic(), "").base64(),
                KeyFiles.storedPublicKey(priv).orElseThrow().base64());
        String text = Files.readString(priv);
        Files.writeString(priv, text.replace("-----BEGIN OPENSSH PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals(Optional.empty(), KeyFiles.storedPublicKey(priv));
        String body = text.substring(text.indexOf('\n') + 1, text.indexOf("-----END"));
        Files.writeString(priv, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body.substring(0, 40) + "\n-----END OPENSSH PRIVATE KEY-----\n");
        assertEquals(Optional.empty(), KeyFiles.storedPublicKey(priv), "a truncated header holds no key");
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(UnsafeKeyFileException.class, () -> KeyFiles.storedPublicKey(priv));
    }
}
