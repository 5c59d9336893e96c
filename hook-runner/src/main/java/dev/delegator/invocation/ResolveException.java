package dev.delegator.invocation;

/** A delegation cannot be resolved to targets; the message says what to fix. */
public final class ResolveException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whose mistake it is, for the exit status. */
    public enum Kind {
        /** The command line is wrong (a missing or conflicting option). */
        USAGE,
        /** An input file is wrong (the manifest, or no such delegation in it). */
        INVALID_INPUT
    }

    private final Kind kind;

    public ResolveException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ResolveException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
