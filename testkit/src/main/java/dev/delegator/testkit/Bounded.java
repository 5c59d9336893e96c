package dev.delegator.testkit;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Runs one fuzz or property input and fails when it took more than {@link #TIME} or allocated
 * more than {@link #BYTES} on its thread: a parser that is total but quadratic, or that builds a
 * huge value from a small input, is a denial of service for the admin or the hook that runs it.
 * The first input of each kind in a JVM is not bounded: it loads the classes (BouncyCastle's
 * provider alone takes seconds with the fuzzer's instrumentation). While Jazzer fuzzes
 * ({@code JAZZER_FUZZ} set) its coverage and comparison hooks run inside the code measured, which
 * made one input allocate 14 times what it does without them (4.8 MiB plain, 68 MiB fuzzed): the
 * limits are then {@link #FUZZING_FACTOR} times larger, and every input fuzzing saves is replayed
 * by the plain test run with the real limits.
 */
public final class Bounded {
    /** The most one input may take. */
    public static final Duration TIME = Duration.ofSeconds(1);
    /** The most one input may allocate (64 MiB). */
    public static final long BYTES = 64L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** How much more time and memory an input may take under the fuzzer's instrumentation. */
    public static final int FUZZING_FACTOR = 32;

    private static final int FACTOR = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty() ? FUZZING_FACTOR : 1;

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
        long timeLimit = TIME.toNanos() * FACTOR;
        long bytesLimit = BYTES * FACTOR;
        if (took > timeLimit || allocated > bytesLimit) {
            AssertionError tooMuch = new AssertionError(what + (took > timeLimit
                    ? " took " + took / 1_000_000 + " ms (limit " + timeLimit / 1_000_000 + " ms)"
                    : " allocated " + (allocated >> 20) + " MiB (limit " + (bytesLimit >> 20) + " MiB)"));
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
