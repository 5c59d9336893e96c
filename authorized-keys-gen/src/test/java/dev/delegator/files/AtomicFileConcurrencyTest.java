package dev.delegator.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent read-modify-write through AtomicFile never loses a change: threads and separate JVMs at once. */
class AtomicFileConcurrencyTest {
    @TempDir
    Path dir;

    static final AtomicInteger RETRIES = new AtomicInteger();

    /** Appends one line the way apply edits a file: read, compute, replace-if-unchanged, retry when it changed. */
    static void appendLine(Path file, String line) throws IOException {
        while (true) {
            FileSnapshot before = AtomicFile.read(file);
            byte[] next = (before.text() + line + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                AtomicFile.replace(file, next, PosixFilePermissions.fromString("rw-r--r--"), before);
                return;
            } catch (FileChangedException e) {
                RETRIES.incrementAndGet();
            }
        }
    }

    @Test
    void twentyThreadsAndThreeProcessesNeverLoseAnAppend() throws Exception {
        Path file = dir.resolve("authorized_keys");
        int threads = 20;
        int perThread = 15;
        int processes = 3;
        int perProcess = 30;

        List<Process> children = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            children.add(ChildJvm.start("append", file.toString(), "proc" + p, Integer.toString(perProcess)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String id = "thread" + t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    appendLine(file, id + "-" + i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        for (Process child : children) {
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, child.waitFor(300, TimeUnit.SECONDS), "child did not finish");
            assertEquals(0, child.exitValue(), "child failed: " + out);
        }

        TreeSet<String> expected = new TreeSet<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                expected.add("thread" + t + "-" + i);
            }
        }
        for (int p = 0; p < processes; p++) {
            for (int i = 0; i < perProcess; i++) {
                expected.add("proc" + p + "-" + i);
            }
        }
        List<String> lines = Arrays.asList(AtomicFile.read(file).text().split("\n"));
        assertEquals(expected.size(), lines.size(), "a line was lost or doubled");
        assertEquals(expected, new TreeSet<>(lines));
        System.out.println("concurrent appends: " + lines.size() + " lines, " + RETRIES.get() + " retries in this JVM after FileChangedException");
    }
}
