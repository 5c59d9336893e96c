package dev.delegator.hooks;

/** A hook was called without the context it needs (a missing or malformed HG_* variable, a bad stdin line). */
public final class HookInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public HookInputException(String message) {
        super(message);
    }
}
