package dev.delegator.files;

import java.io.IOException;

/** The user or group a file should be owned by does not exist on this system. */
public class UnknownOwnerException extends IOException {
    public UnknownOwnerException(String message) {
        super(message);
    }
}
