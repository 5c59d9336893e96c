package dev.delegator.authorizedkeys;

import java.util.Objects;
import java.util.Optional;

/**
 * One physical line of an authorized_keys file, exactly as read: its text, the terminator that
 * followed it ({@code "\n"}, {@code "\r\n"}, or {@code ""} for a last line without one), and what
 * sshd makes of it.
 *
 * @param number     1-based line number
 * @param text       the line without its terminator
 * @param terminator what ended the line
 * @param kind       blank, comment, key or invalid
 * @param key        the parsed key line, for {@link Kind#KEY}
 * @param error      why sshd skips it, for {@link Kind#INVALID} (located at source and line)
 * @param managed    true inside delegator's managed block (markers included)
 */
public record FileLine(int number, String text, String terminator, Kind kind, Optional<AuthorizedKeyLine> key,
                       Optional<AuthorizedKeysSyntaxException> error, boolean managed) {
    /** What sshd makes of a line. */
    public enum Kind {
        /** Empty or only spaces and tabs: ignored. */
        BLANK,
        /** Starts (after spaces) with {@code #}: ignored. The managed block's markers are comments. */
        COMMENT,
        /** A key line sshd reads. */
        KEY,
        /** A line sshd skips because it cannot parse it. */
        INVALID
    }

    public FileLine {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(terminator, "terminator");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(error, "error");
        if ((kind == Kind.KEY) != key.isPresent() || (kind == Kind.INVALID) != error.isPresent()) {
            throw new IllegalArgumentException("line " + number + ": kind " + kind + " does not fit its key/error");
        }
    }

    /** The line as it was in the file, terminator included. */
    public String raw() {
        return text + terminator;
    }
}
