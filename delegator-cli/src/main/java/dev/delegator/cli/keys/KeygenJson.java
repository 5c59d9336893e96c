package dev.delegator.cli.keys;

import dev.delegator.keys.GeneratedKeyPair;
import java.nio.file.Path;

/**
 * The {@code keygen --json} document: one flat object of strings and a number. Small enough that a
 * JSON library would be more code to wire in than this escaping (RFC 8259 section 7).
 */
final class KeygenJson {
    private KeygenJson() {}

    static String of(Path privateKey, Path publicKey, GeneratedKeyPair pair) {
        return "{"
                + field("private_key", privateKey.toString()) + ","
                + field("public_key", publicKey.toString()) + ","
                + field("type", pair.spec().type().cliName()) + ","
                + "\"bits\":" + pair.spec().bits() + ","
                + field("fingerprint", pair.fingerprint()) + ","
                + field("comment", pair.comment()) + ","
                + field("public_key_line", pair.publicKeyLine())
                + "}";
    }

    private static String field(String name, String value) {
        return quote(name) + ":" + quote(value);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
