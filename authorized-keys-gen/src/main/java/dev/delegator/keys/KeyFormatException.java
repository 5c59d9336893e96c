package dev.delegator.keys;

import java.io.IOException;

/** A key or public key line is not in a format OpenSSH would read; the message says where and why. */
public class KeyFormatException extends IOException {
    public KeyFormatException(String message) {
        super(message);
    }

    public KeyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
