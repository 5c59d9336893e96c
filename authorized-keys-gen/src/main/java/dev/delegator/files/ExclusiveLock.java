package dev.delegator.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive advisory lock on a lock file, held until {@link #close()}: between processes
 * through {@link FileChannel#tryLock()} (fcntl; the kernel drops it when the holder dies, even by
 * kill -9, so a crash never leaves a stale lock), and between threads of this JVM through a
 * per-path semaphore.
 *
 * <p>The in-process semaphore is needed because fcntl locks belong to the process: a second
 * thread would get {@code OverlappingFileLockException}, and worse, closing any descriptor of the
 * file releases the process's lock. So no thread opens a lock file while another thread of this
 * JVM holds it. The lock file itself is never deleted (deleting it would let a waiter lock an
 * unlinked inode while a newcomer locks a fresh file); the holder writes its pid into it so a
 * waiter that gives up can name the holder.
 */
public final class ExclusiveLock implements AutoCloseable {
    /** One permit per lock path, for the whole JVM (see the class comment for why this is shared). */
    private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    private static final long POLL_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long POLL_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path lockFile;
    private final Semaphore permit;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private ExclusiveLock(Path lockFile, Semaphore permit, FileChannel channel, FileLock lock) {
        this.lockFile = lockFile;
        this.permit = permit;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, creating the lock file (mode per umask) if needed; its directory must exist.
     *
     * @param maxWait how long to wait for a holder to finish; {@link Duration#ZERO} fails at once
     * @param what    a phrase for the error when it is held, e.g. "another delegator apply is running"; may be null
     * @throws LockTimeoutException when still held after {@code maxWait}, naming the lock file and holder pid
     */
    public static ExclusiveLock acquire(Path lockFile, Duration maxWait, String what) throws IOException {
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
        }
        Path key = lockFile.toAbsolutePath().normalize();
        long deadline = System.nanoTime() + maxWait.toNanos();
        Semaphore permit = IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(1));
        try {
            if (!permit.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new LockTimeoutException(key, OptionalLong.of(ProcessHandle.current().pid()), maxWait, what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for lock " + key);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long pause = POLL_MIN_NANOS;
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    writePid(channel);
                    return new ExclusiveLock(key, permit, channel, lock);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new LockTimeoutException(key, readPid(channel), maxWait, what);
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
                pause = Math.min(pause * 2, POLL_MAX_NANOS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(channel);
            permit.release();
            throw new java.io.InterruptedIOException("interrupted while waiting for lock " + key);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            permit.release();
            throw e;
        }
    }

    /** The lock file (absolute). */
    public Path lockFile() {
        return lockFile;
    }

    /** Releases the lock. The lock file stays (see the class comment). */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (lock.isValid()) {
                channel.truncate(0);
                lock.release();
            }
        } finally {
            try {
                channel.close();
            } finally {
                permit.release();
            }
        }
    }

    private static void writePid(FileChannel channel) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    }

    /** Reads the holder's pid through our own channel (opening another descriptor could drop a lock). */
    private static OptionalLong readPid(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(32);
            channel.read(buf, 0);
            String s = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
            return s.matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(s)) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the original exception says what went wrong
            }
        }
    }
}
