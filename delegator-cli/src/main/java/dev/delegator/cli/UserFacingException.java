package dev.delegator.cli;

/**
 * A failure the user can fix, carrying its exit code. Its message is printed as one line
 * (no stack trace unless --verbose).
 */
public class UserFacingException extends RuntimeException {
    private final int exitCode;

    public UserFacingException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public UserFacingException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
