package dev.delegator.ca;

/** A CA operation was refused; the message says what to do. {@link #kind()} decides the exit status. */
public final class CaException extends Exception {
    /** Why it was refused. */
    public enum Kind {
        /** The input (a delegation, a from list, a public key, a validity) cannot be signed as asked. */
        INVALID_INPUT,
        /** Refused for safety: the CA directory exists, has unsafe modes, or is missing its key. */
        REFUSED
    }

    private final Kind kind;

    public CaException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public CaException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
