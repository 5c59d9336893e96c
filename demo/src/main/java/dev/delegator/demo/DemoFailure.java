package dev.delegator.demo;

/** A demo step failed; the message is the one-line reason shown to the user. */
public final class DemoFailure extends RuntimeException {
    public DemoFailure(String message) {
        super(message);
    }

    public DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
