package dev.delegator.manifest;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks an argument pattern: it must compile as a Java regex AND stay in the subset where
 * Java regex and POSIX ERE ({@code grep -Ex}, used by the dispatcher) mean the same, so what
 * the manifest validates is what the dispatcher enforces. Refused: {@code \d \w \s} and every
 * other backslash before a letter or digit (classes, backreferences), a backslash inside a
 * bracket expression (literal in POSIX, an escape in Java), nested {@code [} and {@code &&} in
 * brackets, {@code (?} groups (lookaround, flags), lazy and possessive quantifiers, control
 * characters, the empty pattern.
 */
public final class ArgPattern {
    private ArgPattern() {}

    /** Empty when the pattern is acceptable, else the reason it is not (naming the offending part). */
    public static Optional<String> problem(String pattern) {
        if (pattern.isEmpty()) {
            return Optional.of("an empty pattern would only match an empty argument; write the shape, e.g. '[0-9a-f]{40}'");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.of("control character at offset " + i + " is not allowed in a pattern");
            }
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            return Optional.of("does not compile: " + e.getDescription() + " near offset " + e.getIndex());
        }
        boolean inBracket = false;
        int bracketStart = -1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (inBracket) {
                if (c == '\\') {
                    return Optional.of("'\\' inside [...] at offset " + i + " means a literal backslash in POSIX ERE but an escape in Java; leave it out");
                }
                if (c == '[') {
                    return Optional.of("'[' inside [...] at offset " + i + " (nested class or [:name:]) differs between Java and POSIX ERE");
                }
                if (c == '&' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '&') {
                    return Optional.of("'&&' inside [...] at offset " + i + " is a Java class intersection, literal in POSIX ERE");
                }
                if (c == ']' && i == bracketStart + 1) {
                    return Optional.of("']' first in [...] at offset " + i + " is read differently by Java and POSIX ERE");
                }
                if (c == ']' && !(i == bracketStart + 2 && pattern.charAt(bracketStart + 1) == '^')) {
                    inBracket = false;
                } else if (c == ']') {
                    return Optional.of("']' first in [^...] at offset " + i + " is read differently by Java and POSIX ERE");
                }
                continue;
            }
            switch (c) {
                case '\\' -> {
                    char next = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
                    if (Character.isLetterOrDigit(next) || next == 0) {
                        return Optional.of("'\\" + (next == 0 ? "" : String.valueOf(next)) + "' at offset " + i
                                + " is not in the Java/POSIX ERE common subset (use [0-9] for \\d, [a-zA-Z0-9_] for \\w; a backslash may only escape punctuation)");
                    }
                    i++;
                }
                case '[' -> {
                    inBracket = true;
                    bracketStart = i;
                }
                case '(' -> {
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '?') {
                        return Optional.of("'(?' at offset " + i + " (lookaround, flags, non-capturing group) is not POSIX ERE");
                    }
                }
                case '*', '+', '?', '}' -> {
                    char next = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
                    if (next == '?' || next == '+') {
                        return Optional.of("'" + c + next + "' at offset " + i + " (lazy or possessive quantifier) is not POSIX ERE");
                    }
                }
                default -> { }
            }
        }
        return Optional.empty();
    }
}
