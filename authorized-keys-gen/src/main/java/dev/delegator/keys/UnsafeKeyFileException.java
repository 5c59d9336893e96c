package dev.delegator.keys;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A private key file other accounts can read or change. Such a key must be treated as leaked
 * and is refused, as ssh refuses an "UNPROTECTED PRIVATE KEY FILE"; the message says the fix.
 */
public class UnsafeKeyFileException extends IOException {
    private final Path path;

    public UnsafeKeyFileException(Path path, String message) {
        super(message);
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
