package dev.delegator.client;

import java.util.Objects;

/**
 * One thing {@code delegator verify} tried with a delegation's key, and how the host answered.
 *
 * @param id a stable name for monitoring ({@code shell}, {@code unknown-verb}, {@code pty}, ...)
 * @param verdict whether the host refused it as it must
 * @param tried what was tried, in words ("a shell request")
 * @param answer how the host answered ("sshd ran the forced command, which rejected it (exit 126)")
 */
public record ProbeCheck(String id, Verdict verdict, String tried, String answer) {
    /** The outcome of one check. */
    public enum Verdict {
        /** Refused as it must be (a ✓ line). */
        REFUSED,
        /** Granted, or no proof it was refused (a ✗ line): the key can do more than its verbs. */
        GRANTED,
        /** Not tried, and why is in the answer (a - line); not a failure. */
        NOT_TRIED
    }

    public ProbeCheck {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(tried, "tried");
        Objects.requireNonNull(answer, "answer");
    }

    static ProbeCheck refused(String id, String tried, String answer) {
        return new ProbeCheck(id, Verdict.REFUSED, tried, answer);
    }

    static ProbeCheck granted(String id, String tried, String answer) {
        return new ProbeCheck(id, Verdict.GRANTED, tried, answer);
    }

    /** {@code ✓ tried: answer}, {@code ✗ ...} or {@code - ...}. */
    public String line() {
        String mark = switch (verdict) {
            case REFUSED -> "✓";
            case GRANTED -> "✗";
            case NOT_TRIED -> "-";
        };
        return mark + " " + tried + ": " + answer;
    }
}
