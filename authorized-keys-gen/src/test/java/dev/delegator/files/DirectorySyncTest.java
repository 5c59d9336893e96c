package dev.delegator.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {
    @TempDir
    Path dir;

    private static void write(Path p, String text, DirectorySync sync) throws Exception {
        AtomicFile.replace(p, text.getBytes(StandardCharsets.UTF_8), Optional.empty(), AtomicFileTest.RW_R_R, AtomicFile.read(p),
                Duration.ofSeconds(5), sync);
    }

    @Test
    void deferredWritesAreInPlaceAtOnceAndEachDirectoryIsSyncedOnceOnFlush() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        DirectorySync sync = DirectorySync.deferred();
        for (int i = 0; i < 3; i++) {
            write(a.resolve("f" + i), "x" + i, sync);
        }
        write(b.resolve("g"), "y", sync);
        AtomicFile.delete(a.resolve("f2"), AtomicFile.read(a.resolve("f2")), sync);
        assertArrayEquals("x1".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(a.resolve("f1")), "readers see the new file before the flush");
        assertEquals(Set.of(a, b), sync.pending(), "one entry per directory, however many writes");
        sync.flush();
        assertEquals(Set.of(), sync.pending());
    }

    @Test
    void aFlushReallyOpensEachDirectory() throws Exception {
        Path a = Files.createDirectory(dir.resolve("a"));
        DirectorySync sync = DirectorySync.deferred();
        write(a.resolve("f"), "x", sync);
        try (var files = Files.list(a)) {
            for (Path p : files.toList()) {
                Files.delete(p); // the file and its lock file
            }
        }
        Files.delete(a);
        assertThrows(NoSuchFileException.class, sync::flush);
    }

    @Test
    void immediateKeepsNothingPending() throws Exception {
        write(dir.resolve("f"), "x", DirectorySync.IMMEDIATE);
        assertEquals(Set.of(), DirectorySync.IMMEDIATE.pending());
    }
}
