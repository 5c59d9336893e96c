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
        assertEquals("ssh-ed25519", l.typeName());
        assertEquals(B64, l.base64());
        assertEquals("c EdDSA two", l.comment());
        assertEquals(FP, l.fingerprint());
        assertEquals("ssh-ed25519 " + B64 + " c EdDSA two", l.toLine());
        assertEquals("ssh-ed25519 " + B64, PublicKeyLine.parse("ssh-ed25519\t" + B64).toLine());
        assertEquals(l.fingerprint(), PublicKeyLine.of(l.toPublicKey(), "").fingerprint());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''| 0| empty public key line",
        "ssh-ed25519| 11| missing key data after \"ssh-ed25519\"",
        "ssh-ed25519 !!!!| 12| key data is not valid base64",
        "ssh-rsa " + B64 + "| 8| key data is a \"ssh-ed25519\" key, not ssh-rsa",
        "ssh-ed25519 AAAA| 12| key data ends inside the key type",
        "ssh-ed25519 " + B64 + "=| 12| key data is not valid base64",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA=| 12| ed25519 public key has 1 bytes, not 32",
        "ssh-foo " + B64 + "| 0| unknown key type \"ssh-foo\"",
        "'ssh-ed25519 " + B64 + " a\rb'| 82| a line break inside the key line",
    })
    void badLinesSayWhatIsWrongAndWhere(String line, int index, String message) {
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.parse(line));
        assertEquals(message, e.getMessage());
        assertEquals(index, e.index());
        assertEquals(java.util.Optional.of(message), PublicKeyLine.problem(line));
    }

    @Test
    void namesSshdAlsoReadsAreReadAndWrittenCanonically() throws Exception {
        PublicKeyLine l = PublicKeyLine.parse("ED25519 " + B64 + " c");
        assertEquals("ED25519", l.typeName());
        assertEquals(KeyType.ED25519, l.type());
        assertEquals("ssh-ed25519 " + B64 + " c", l.toLine());
        assertEquals("ssh-ed25519 " + B64, l.keyText());
        assertEquals(FP, l.fingerprint());
    }

    @Test
    void readAtReportsTheIndexInTheWholeText() {
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.readAt("restrict ssh-ed25519 AAAA", 9));
        assertEquals("key data ends inside the key type", e.getMessage());
        assertEquals(21, e.index());
    }

    @Test
    void readNamesFileAndLine() throws Exception {
        Path f = dir.resolve("k.pub");
        Files.writeString(f, "# c\nssh-ed25519 " + B64 + "\nssh-ed25519 " + B64 + "\n");
        KeyFormatException e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.read(f));
        assertEquals(f + ":3: a second key; a public key file holds one key", e.getMessage());
        Files.writeString(f, "\n\nssh-ed25519 %%%\n");
        e = assertThrows(KeyFormatException.class, () -> PublicKeyLine.read(f));
        assertEquals(f + ":3: key data is not valid base64", e.getMessage());
    }
}
