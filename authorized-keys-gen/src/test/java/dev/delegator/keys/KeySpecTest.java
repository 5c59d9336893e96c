package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySpecTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "ed25519, 0, 256, ssh-ed25519",
        "ed25519, 4096, 256, ssh-ed25519",
        "ecdsa, 0, 256, ecdsa-sha2-nistp256",
        "ecdsa, 384, 384, ecdsa-sha2-nistp384",
        "ECDSA, 521, 521, ecdsa-sha2-nistp521",
        "rsa, 0, 3072, ssh-rsa",
        "rsa, 4096, 4096, ssh-rsa",
        "Rsa, 16384, 16384, ssh-rsa",
    })
    void validSpecs(String type, int bits, int expectedBits, String sshName) {
        KeySpec spec = new KeySpec(GeneratedKeyType.parse(type), bits);
        assertEquals(expectedBits, spec.bits());
        assertEquals(sshName, spec.sshName());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "rsa | 1024 | rsa keys need at least 3072 bits, not 1024",
        "rsa | 2048 | rsa keys need at least 3072 bits, not 2048",
        "rsa | -1 | rsa keys need at least 3072 bits, not -1",
        "rsa | 16385 | rsa keys are at most 16384 bits (OpenSSH's limit), not 16385",
        "ecdsa | 300 | ecdsa keys are 256, 384 or 521 bits, not 300",
        "ecdsa | 512 | ecdsa keys are 256, 384 or 521 bits, not 512",
    })
    void invalidSizesAreRefusedWithTheValue(String type, int bits, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeySpec(GeneratedKeyType.parse(type), bits));
        assertEquals(message, e.getMessage());
    }

    @Test
    void unknownTypeNamesTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GeneratedKeyType.parse("dsa"));
        assertEquals("unknown key type 'dsa': use one of ed25519, ecdsa, rsa", e.getMessage());
    }

    @Test
    void commentsWithLineBreaksAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SshKeyGenerator.generate(KeySpec.ed25519(), "a\nrestrict"));
        assertEquals("key comment must not contain a line break or NUL: a\\nrestrict", e.getMessage());
    }
}
