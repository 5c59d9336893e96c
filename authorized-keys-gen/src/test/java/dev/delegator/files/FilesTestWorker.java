package dev.delegator.files;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * The child-process side of the files tests.
 *
 * <ul>
 *   <li>{@code append PATH ID COUNT}: COUNT read-modify-write appends of "ID-i", retrying on FileChangedException
 *   <li>{@code rewrite PATH SIZE}: rewrites PATH forever with SIZE bytes of one letter, the next letter each time
 *   <li>{@code hold LOCKFILE}: takes the lock, prints "locked", holds it until stdin closes
 * </ul>
 */
public final class FilesTestWorker {
    private FilesTestWorker() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "append" -> {
                int n = Integer.parseInt(args[3]);
                for (int i = 0; i < n; i++) {
                    AtomicFileConcurrencyTest.appendLine(Path.of(args[1]), args[2] + "-" + i);
                }
                System.out.println("done");
            }
            case "rewrite" -> {
                Path target = Path.of(args[1]);
                byte[] content = new byte[Integer.parseInt(args[2])];
                for (int round = 0; ; round++) {
                    Arrays.fill(content, (byte) ('a' + round % 26));
                    AtomicFile.replace(target, content, Optional.empty(), PosixFilePermissions.fromString("rw-r--r--"),
                            AtomicFile.read(target), Duration.ofSeconds(60));
                }
            }
            case "hold" -> {
                try (ExclusiveLock lock = ExclusiveLock.acquire(Path.of(args[1]), Duration.ZERO, null)) {
                    System.out.println("locked");
                    System.out.flush();
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                }
                System.out.println("released");
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
