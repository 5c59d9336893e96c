package dev.delegator.cli.keys;

import com.google.gson.stream.JsonWriter;
import dev.delegator.keys.GeneratedKeyPair;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The {@code keygen --json} document: one flat object of strings and a number. */
final class KeygenJson {
    private KeygenJson() {}

    static String of(Path privateKey, Path publicKey, GeneratedKeyPair pair) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject()
                    .name("private_key").value(privateKey.toString())
                    .name("public_key").value(publicKey.toString())
                    .name("type").value(pair.spec().type().cliName())
                    .name("bits").value(pair.spec().bits())
                    .name("fingerprint").value(pair.fingerprint())
                    .name("comment").value(pair.comment())
                    .name("public_key_line").value(pair.publicKeyLine())
                    .endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }
}
