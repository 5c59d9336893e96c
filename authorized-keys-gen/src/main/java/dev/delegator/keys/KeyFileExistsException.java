package dev.delegator.keys;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/** A key file is already there and overwriting was not asked for; nothing was written. */
public class KeyFileExistsException extends FileAlreadyExistsException {
    private final Path path;

    public KeyFileExistsException(Path path) {
        super(path.toString(), null, path + " already exists; not overwriting it (use --force to replace the key pair)");
        this.path = path;
    }

    public Path path() {
        return path;
    }

    @Override
    public String getMessage() {
        return getReason();
    }
}
