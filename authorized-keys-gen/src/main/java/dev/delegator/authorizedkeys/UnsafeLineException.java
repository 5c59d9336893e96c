package dev.delegator.authorizedkeys;

/**
 * A line we were asked to write would be misread by sshd or would weaken a delegation (a control
 * character or trailing backslash in a value, {@code environment=}, an option that re-enables
 * something after {@code restrict}, a malformed {@code from=}). The message names the value.
 */
public class UnsafeLineException extends AuthorizedKeysException {
    private static final long serialVersionUID = 1L;

    public UnsafeLineException(String message) {
        super(message);
    }
}
