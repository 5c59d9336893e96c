package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicKeyLineTest {
    // an ed25519 key and its fingerprint as printed by ssh-keygen -l (OpenSSH 9.2)
    static final String B64 = "AAAAC3NzaC1lZDI1NTE5AAAAINs7iHiIpDuOX4xtGPEmsZ+DCeyGdvpc3745AUjqWLUn";
    static final String FP = "SHA256:Y/wzgLAxBSyGklVFYdqlxdaeOczTMCCu2jbXE+LegNs";

    @TempDir
    Path dir;

    @Test
    void parsesTypeDataAndCommentWithSpaces() throws Exception {
        PublicKeyLine l = PublicKeyLine.parse("ssh-ed25519 " + B64 + " c EdDSA two\n");
        assertEquals("ssh-ed25519", l.type());
        assertEquals(B64, l.base64());
        assertEquals("c EdDSA two", l.comment());
        assertEquals(FP, l.fingerprint());
        assertEquals("ssh-ed25519 " + B64 + " c EdDSA two", l.toLine());
        assertEquals("ssh-ed25519 " + B64, PublicKeyLine.parse("ssh-ed25519\t" + B64).toLine());
        assertEquals(l.fingerprint(), PublicKeyLine.of(l.toPublicKey(), "").fingerprint());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''| empty public key line",
        "ssh-ed25519| public key line has a key type but no key data",
        "ssh-ed25519 !!!!| key data of a ssh-ed25519 key is not valid base64: Illegal base64 character 21",
        "ssh-rsa " + B64 + "| key data is a ssh-ed25519 key but the line says ssh-rsa",
        "ssh-ed25519 AAAA| key data is a malformed key but the line says ssh-ed25519",
    })
    void badLinesSayWhatIsWrong(String line, String message) {
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.parse(line));
        assertEquals(message, e.getMessage());
    }

    @Test
    void readNamesFileAndLine() throws Exception {
        Path f = dir.resolve("k.pub");
        Files.writeString(f, "# c\nssh-ed25519 " + B64 + "\nssh-ed25519 " + B64 + "\n");
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.read(f));
        assertEquals(f + ":3: a second key; a public key file holds one key", e.getMessage());
        Files.writeString(f, "\n\nssh-ed25519 %%%\n");
        e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.read(f));
        assertEquals(f + ":3: key data of a ssh-ed25519 key is not valid base64: Illegal base64 character 25", e.getMessage());
    }
}
