package dev.delegator.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockTest {
    @TempDir
    Path dir;

    @Test
    void anotherProcessHoldingTheApplyLockFailsFastNamingItsPid() throws Exception {
        Path lockFile = dir.resolve("run/delegator/apply.lock");
        Files.createDirectories(lockFile.getParent());
        Process holder = ChildJvm.start("hold", lockFile.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        try {
            assertEquals("locked", out.readLine());

            LockTimeoutException e = assertThrows(LockTimeoutException.class, () -> ApplyLock.acquire(lockFile, Duration.ZERO));
            assertEquals("another delegator apply is running: lock " + lockFile + " is held by pid " + holder.pid() + " (not waiting)",
                    e.getMessage());
            assertEquals(OptionalLong.of(holder.pid()), e.holderPid());

            // a waiter that may wait gets it as soon as the holder lets go
            CompletableFuture<ApplyLock> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return ApplyLock.acquire(lockFile, Duration.ofSeconds(120));
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            holder.getOutputStream().close();
            assertEquals("released", out.readLine());
            try (ApplyLock lock = waiter.get(120, TimeUnit.SECONDS)) {
                assertEquals(lockFile, lock.lockFile());
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    @Test
    void aKilledHolderReleasesTheLock() throws Exception {
        Path lockFile = dir.resolve("apply.lock");
        Process holder = ChildJvm.start("hold", lockFile.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine());
        holder.destroyForcibly();
        holder.waitFor();
        try (ApplyLock lock = ApplyLock.acquire(lockFile, Duration.ZERO)) {
            assertEquals(lockFile, lock.lockFile());
        }
    }

    @Test
    void aThreadOfThisProcessHoldingTheLockBlocksAnotherThread() throws Exception {
        Path lockFile = dir.resolve("apply.lock");
        try (ApplyLock first = ApplyLock.acquire(lockFile, Duration.ZERO)) {
            LockTimeoutException e = CompletableFuture.supplyAsync(() ->
                    assertThrows(LockTimeoutException.class, () -> ApplyLock.acquire(lockFile, Duration.ofMillis(50)))).get();
            assertEquals("another delegator apply is running: lock " + lockFile + " is held by pid "
                    + ProcessHandle.current().pid() + "; gave up after 50ms", e.getMessage());
        }
        try (ApplyLock again = ApplyLock.acquire(lockFile, Duration.ZERO)) {
            assertEquals(lockFile, again.lockFile());
        }
    }

    @Test
    void aWriterWaitsForAnotherProcessHoldingTheFileLockAndSaysSoWhenNotWaiting() throws Exception {
        Path target = dir.resolve("authorized_keys");
        Files.writeString(target, "old\n"); // replacing takes the lock; creating an absent file would not
        FileSnapshot old = AtomicFile.read(target);
        Process holder = ChildJvm.start("hold", AtomicFile.lockFileFor(target).toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        try {
            assertEquals("locked", out.readLine());
            LockTimeoutException e = assertThrows(LockTimeoutException.class, () -> AtomicFile.replace(target, new byte[] {'x'},
                    java.util.Optional.empty(), PosixFilePermissions.fromString("rw-r--r--"), old, Duration.ZERO));
            assertEquals("lock " + AtomicFile.lockFileFor(target) + " is held by pid " + holder.pid() + " (not waiting)", e.getMessage());
            assertEquals("old\n", Files.readString(target));
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
    }

    @Test
    void applyLockCreatesItsDirectory() throws Exception {
        Path lockFile = dir.resolve("a/b/apply.lock");
        try (ApplyLock lock = ApplyLock.acquire(lockFile, Duration.ZERO)) {
            assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(lockFile.getParent())));
        }
    }
}
