package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import java.util.List;
import java.util.Optional;

/**
 * Writes options with the only quoting sshd understands: a value goes in double quotes, and
 * {@code \"} is the one escape (it becomes {@code "}); any other backslash stays as written
 * (auth-options.c {@code opt_dequote}). So {@code "} is written {@code \"}, a backslash is written as
 * is (a literal {@code \"} thus becomes {@code \\"}), and a value ending in a backslash cannot be
 * written at all: its closing quote would read as an escaped quote.
 */
final class LineRenderer {
    private LineRenderer() {}

    static String render(List<KeyOption> options, KeyType type, String keyBase64, String comment) {
        StringBuilder b = new StringBuilder();
        for (KeyOption o : options) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(option(o));
        }
        if (b.length() > 0) {
            b.append(' ');
        }
        b.append(type.sshName()).append(' ').append(keyBase64);
        checkComment(comment);
        if (!comment.isEmpty()) {
            b.append(' ').append(comment);
        }
        return b.toString();
    }

    static String option(KeyOption o) {
        Optional<OptionKind> kind = o.kind();
        if (kind.isEmpty()) {
            throw new UnsafeLineException("unknown option \"" + o.name() + "\": sshd would skip the line");
        }
        boolean valued = kind.get().shape() == OptionKind.Shape.VALUE;
        if (valued != o.value().isPresent()) {
            throw new UnsafeLineException("option \"" + o.name() + "\" " + (valued ? "needs a value" : "takes no value"));
        }
        if (!o.name().chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
            throw new UnsafeLineException("option name \"" + o.name() + "\" has characters sshd does not expect");
        }
        return o.value().map(v -> o.name() + "=" + quote(o.name(), v)).orElse(o.name());
    }

    /** {@code "value"} with {@code "} escaped; refuses what sshd would misread. */
    static String quote(String name, String value) {
        checkText(name + "=", value);
        if (value.endsWith("\\")) {
            throw new UnsafeLineException(name + "=" + describe(value)
                    + " ends in a backslash: sshd would read its closing quote as an escaped quote");
        }
        return '"' + value.replace("\"", "\\\"") + '"';
    }

    private static void checkComment(String comment) {
        checkText("comment", comment);
        if (!comment.isEmpty() && (comment.charAt(0) == ' ' || comment.charAt(0) == '\t')) {
            throw new UnsafeLineException("comment " + describe(comment) + " starts with a space: it would not read back the same");
        }
    }

    /** Refuses line breaks, carriage returns, NUL, other control characters and unpaired surrogates. */
    static void checkText(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String bad = null;
            if (c == '\n') {
                bad = "a line break (sshd would read the rest as a new line)";
            } else if (c == '\r') {
                bad = "a carriage return";
            } else if (c == 0) {
                bad = "a NUL byte (sshd would cut the line there)";
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                bad = String.format("the control character \\x%02x", (int) c);
            } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1)))) {
                bad = "an unpaired surrogate (not encodable as UTF-8)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            }
            if (bad != null) {
                throw new UnsafeLineException(what + describe(value) + " holds " + bad + " at position " + (i + 1));
            }
        }
    }

    static String describe(String v) {
        StringBuilder b = new StringBuilder("\"");
        int n = 0;
        for (int i = 0; i < v.length() && n < 100; i++, n++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case 0 -> "\\0";
                    default -> String.format("\\x%02x", (int) c);
                });
            } else {
                b.append(c);
            }
        }
        if (v.length() > 100) {
            b.append("…");
        }
        return b.append('"').toString();
    }
}
