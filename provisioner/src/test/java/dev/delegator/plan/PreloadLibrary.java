package dev.delegator.plan;

import dev.delegator.testkit.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real {@code LD_PRELOAD} library, built here with cc, that writes {@code MARKERS/ran-as-<uid>}
 * from its constructor in every process it is loaded into: the proof that a hostile variable
 * reached a process, and as whom.
 */
final class PreloadLibrary {
    private PreloadLibrary() {}

    static void build(Path source, Path lib, Path markers) throws Exception {
        Files.writeString(source, """
                #include <stdio.h>
                #include <unistd.h>
                __attribute__((constructor)) static void mark(void) {
                    char path[4096];
                    snprintf(path, sizeof path, "%s/ran-as-%d", MARKERS, (int) getuid());
                    FILE *f = fopen(path, "w");
                    if (f) { fputs("preloaded\\n", f); fclose(f); }
                }
                """);
        ExternalCommand.check("cc", "-shared", "-fPIC", "-DMARKERS=\"" + markers + "\"", "-o", lib.toString(), source.toString());
        Files.setPosixFilePermissions(lib, FileStatus.perms(0755));
    }
}
