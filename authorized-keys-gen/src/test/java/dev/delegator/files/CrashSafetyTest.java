package dev.delegator.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer killed with SIGKILL in the middle of a write leaves the old or the new content, never
 * a partial file; readers never see a partial file while it writes; the temp file it leaves is
 * ignored by readers and removed by the next write.
 */
class CrashSafetyTest {
    static final int SIZE = 8 * 1024 * 1024;

    @TempDir
    Path dir;

    /** A complete version is SIZE bytes of one letter; anything else is a torn file. */
    static String checkComplete(byte[] b) {
        if (b.length != SIZE) {
            return "size " + b.length;
        }
        for (byte x : b) {
            if (x != b[0]) {
                return "mixed content";
            }
        }
        return null;
    }

    @Test
    void killMinusNineMidWriteLeavesACompleteFileAndTheLeftoverIsCleanedUp() throws Exception {
        Path target = dir.resolve("authorized_keys");
        byte[] initial = new byte[SIZE];
        Arrays.fill(initial, (byte) 'A');
        AtomicFile.replace(target, initial, PosixFilePermissions.fromString("rw-r--r--"), AtomicFile.read(target));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<String> torn = new AtomicReference<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    String problem = checkComplete(Files.readAllBytes(target));
                    if (problem != null) {
                        torn.compareAndSet(null, problem);
                    }
                    reads.incrementAndGet();
                } catch (IOException e) {
                    torn.compareAndSet(null, "read failed: " + e);
                }
            }
        });
        reader.start();

        boolean leftoverSeen = false;
        try {
            // A kill can land just after a rename; retry a few times until one lands mid-write.
            for (int attempt = 0; attempt < 10 && !leftoverSeen; attempt++) {
                Process writer = ChildJvm.start("rewrite", target.toString(), Integer.toString(SIZE));
                try {
                    waitForTempFile(target, writer);
                } finally {
                    writer.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                    writer.waitFor(60, TimeUnit.SECONDS);
                }
                assertEquals(137, writer.exitValue(), "the writer should have died of SIGKILL");
                assertEquals(null, checkComplete(Files.readAllBytes(target)), "target after kill -9");
                leftoverSeen = !temps(target).isEmpty();
            }
        } finally {
            stop.set(true);
            reader.join();
        }
        assertEquals(null, torn.get(), "a reader saw a partial file");
        assertTrue(reads.get() > 0);
        assertTrue(leftoverSeen, "no kill landed mid-write in 10 attempts");

        // the leftover does not disturb reading, and the next write (its lock free again: the kernel
        // released the dead writer's lock) removes it
        assertEquals(null, checkComplete(AtomicFile.read(target).content()));
        byte[] next = new byte[SIZE];
        Arrays.fill(next, (byte) 'Z');
        AtomicFile.replace(target, next, PosixFilePermissions.fromString("rw-r--r--"), AtomicFile.read(target));
        assertEquals(List.of(), temps(target));
        assertEquals('Z', Files.readAllBytes(target)[SIZE - 1]);
    }

    private static void waitForTempFile(Path target, Process writer) throws Exception {
        // bounded only so a broken child cannot hang the build; not a timing assertion
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!writer.isAlive()) {
                fail("writer exited early with " + writer.exitValue());
            }
            for (Path t : temps(target)) {
                try {
                    if (Files.size(t) > 0) {
                        return;
                    }
                } catch (NoSuchFileException gone) {
                    // renamed meanwhile; keep looking
                }
            }
            Thread.onSpinWait();
        }
        fail("the writer never started a write");
    }

    private static List<Path> temps(Path target) throws IOException {
        try (Stream<Path> s = Files.list(target.getParent())) {
            return new ArrayList<>(s.filter(p -> AtomicFile.isTempFileOf(target, p)).toList());
        }
    }
}
