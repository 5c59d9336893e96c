package dev.delegator.client;

import java.util.List;

/**
 * What to ask the forced command for: a verb and its arguments. They travel as one string
 * (SSH_ORIGINAL_COMMAND), joined with single spaces, and the dispatcher splits them on spaces
 * again; so no word may be empty or contain whitespace or control characters, which would make
 * the split ambiguous. The dispatcher checks the shapes; this only keeps the framing exact.
 *
 * @param words the verb followed by its arguments, at least the verb
 */
public record RunRequest(List<String> words) {

    public RunRequest {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("request must name a verb");
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.isEmpty()) {
                throw new IllegalArgumentException("request word " + (i + 1) + " is empty");
            }
            for (int j = 0; j < w.length(); j++) {
                char c = w.charAt(j);
                if (c <= ' ' || c == 0x7f) {
                    throw new IllegalArgumentException("request word " + (i + 1) + " (" + printable(w)
                            + ") contains whitespace or a control character at position " + (j + 1));
                }
            }
        }
    }

    public static RunRequest of(String... words) {
        return new RunRequest(List.of(words));
    }

    /** The verb (first word). */
    public String verb() {
        return words.get(0);
    }

    /** The exec request sent to sshd. */
    public String command() {
        return String.join(" ", words);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < ' ' || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
