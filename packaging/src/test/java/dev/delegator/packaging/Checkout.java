package dev.delegator.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the tests run in (README.md, docs/, packaging/). */
final class Checkout {
    private Checkout() {}

    static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("packaging")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the delegator checkout: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
