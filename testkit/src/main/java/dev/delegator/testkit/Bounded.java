package dev.delegator.testkit;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Runs one fuzz or property input and fails when it took more than {@link #TIME} or allocated
 * more than {@link #BYTES} on its thread: a parser that is total but quadratic, or that builds a
 * huge value from a small input, is a denial of service for the admin or the hook that runs it.
 * The first input of each kind in a JVM is not bounded: it loads the classes (BouncyCastle's
 * provider alone takes seconds with the fuzzer's instrumentation).
 */
public final class Bounded {
    /** The most one input may take. */
    public static final Duration TIME = Duration.ofSeconds(1);
    /** The most one input may allocate (64 MiB). */
    public static final long BYTES = 64L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final java.util.Set<String> WARM = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Bounded() {}

    /** Work that may throw what the caller checks. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work}, rethrowing what it throws, then checks its time and allocation. */
    public static void check(String what, Work work) throws Exception {
        long id = Thread.currentThread().getId();
        long bytes = THREADS.getThreadAllocatedBytes(id);
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            work.run();
        } catch (Exception | Error e) {
            thrown = e;
        }
        long took = System.nanoTime() - start;
        long allocated = THREADS.getThreadAllocatedBytes(id) - bytes;
        if (WARM.add(what)) {
            took = 0;
            allocated = 0;
        }
        if (took > TIME.toNanos() || allocated > BYTES) {
            AssertionError tooMuch = new AssertionError(what + (took > TIME.toNanos()
                    ? " took " + took / 1_000_000 + " ms (limit " + TIME.toMillis() + " ms)"
                    : " allocated " + (allocated >> 20) + " MiB (limit " + (BYTES >> 20) + " MiB)"));
            if (thrown != null) {
                tooMuch.addSuppressed(thrown);
            }
            throw tooMuch;
        }
        if (thrown instanceof Exception e) {
            throw e;
        }
        if (thrown instanceof Error e) {
            throw e;
        }
    }
}
