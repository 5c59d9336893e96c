package dev.delegator.systemtools;

/** A system tool delegator relies on failed; the message names the tool and its first error line. */
public class SystemToolException extends RuntimeException {
    public SystemToolException(String message) {
        super(message);
    }

    public SystemToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
