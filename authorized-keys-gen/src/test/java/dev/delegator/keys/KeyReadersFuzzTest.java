package dev.delegator.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.delegator.testkit.Bounded;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Jazzer targets for the public and private key readers (see {@code AuthorizedKeysFuzzTest} for how
 * the corpus is replayed and fuzzed): a key or our {@link java.io.IOException} subtype, never another
 * exception; a public key line reads back from its own rendering.
 */
class KeyReadersFuzzTest {
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void publicKeyLinesAreReadTotallyAndRoundTrip(FuzzedDataProvider data) throws Exception {
        String input = data.consumeRemainingAsString();
        Bounded.check("public key", () -> {
            try {
                PublicKeyLine k = PublicKeyLine.parse(input);
                assertEquals(k, PublicKeyLine.parse(k.toLine()));
                k.fingerprint();
            } catch (KeyFormatException refused) {
                // a typed refusal is a result
            }
        });
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void privateKeyFilesAreReadTotally(FuzzedDataProvider data) throws Exception {
        byte[] bytes = data.consumeRemainingAsBytes();
        Path file = Files.createTempFile("fuzz-key", "");
        try {
            Files.write(file, bytes);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Bounded.check("private key", () -> {
                try {
                    KeyFiles.loadPrivateKey(file);
                } catch (KeyFormatException | EncryptedKeyException refused) {
                    // typed refusals are results
                }
            });
            // plan reads the header of files their callers can write, as root: empty or a key, nothing else
            Bounded.check("stored public key", () -> KeyFiles.storedPublicKey(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
