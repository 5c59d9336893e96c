package dev.delegator.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * "One apply at a time": an exclusive lock an {@code apply} or {@code revoke} holds for its
 * whole run, so two admins running apply at once cannot interleave their changes. The kernel
 * releases it when the holder exits, also on kill -9.
 *
 * <pre>{@code
 * try (ApplyLock lock = ApplyLock.acquire(ApplyLock.SYSTEM_LOCK_FILE, Duration.ZERO)) {
 *     ... plan and write ...
 * }
 * }</pre>
 */
public final class ApplyLock implements AutoCloseable {
    /** The lock file for the system layout; tests use one under their layout root. */
    public static final Path SYSTEM_LOCK_FILE = Path.of("/run/delegator/apply.lock");

    private final ExclusiveLock lock;

    private ApplyLock(ExclusiveLock lock) {
        this.lock = lock;
    }

    /**
     * Takes the apply lock, creating its directory (0755) if missing.
     *
     * @param lockFile e.g. {@link #SYSTEM_LOCK_FILE}
     * @param maxWait  {@link Duration#ZERO} to fail at once if another apply runs, or how long to wait for it
     * @throws LockTimeoutException "another delegator apply is running: lock … is held by pid N …"
     */
    public static ApplyLock acquire(Path lockFile, Duration maxWait) throws IOException {
        Path dir = lockFile.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        return new ApplyLock(ExclusiveLock.acquire(lockFile, maxWait, "another delegator apply is running"));
    }

    public Path lockFile() {
        return lock.lockFile();
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }
}
