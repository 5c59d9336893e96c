package dev.delegator.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file changed on disk between the moment it was read and the moment we were about to write
 * it (someone else edited it, or another apply ran). Nothing was written: writing now would
 * throw away their change. Re-read and try again.
 */
public class FileChangedException extends IOException {
    private final Path path;
    private final FileSnapshot expected;
    private final FileSnapshot actual;

    public FileChangedException(Path path, FileSnapshot expected, FileSnapshot actual) {
        super(path + " changed on disk since it was read (was " + expected.describe() + ", now "
                + actual.describe() + "); nothing was written, re-run to start from its current content");
        this.path = path;
        this.expected = expected;
        this.actual = actual;
    }

    public Path path() {
        return path;
    }

    public FileSnapshot expected() {
        return expected;
    }

    public FileSnapshot actual() {
        return actual;
    }
}
