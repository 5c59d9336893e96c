package dev.delegator.keys;

import java.io.IOException;

/**
 * A key or public key line is not in a format OpenSSH would read; the message says why, and
 * {@link #index()} where in the text read, for a caller that adds line and column.
 */
public class KeyFormatException extends IOException {
    private final int index;

    public KeyFormatException(String message) {
        this(message, -1);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
        this.index = -1;
    }

    /** @param index 0-based index in the text read where the problem is */
    public KeyFormatException(String message, int index) {
        super(message);
        this.index = index;
    }

    /** 0-based index in the text read where the problem is; -1 when the problem is not at a place in a text. */
    public int index() {
        return index;
    }
}
