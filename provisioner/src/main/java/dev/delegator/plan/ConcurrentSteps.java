package dev.delegator.plan;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Carries out a run of {@link IndependentStep}s of one kind two at a time.
 *
 * <p>Why: the accounts are most of an apply from scratch, and a {@code useradd} spends only part of
 * its time holding the passwd and group locks (glibc's {@code lckpwdf} makes a second one wait for
 * them, it does not fail); the rest (exec, loading, the home directory and its skeleton, the
 * caches it flushes) overlaps with another's. Measured on the 2-core benchmark VM: 20
 * {@code useradd --system} one after another 0.29 s, two at a time 0.19 s, four at a time 0.19 s.
 *
 * <p>Steps start in plan order (progress is told from this thread, so its lines stay in order);
 * after a failure no further step starts, the ones running finish, and the first failure in plan
 * order is thrown with the others suppressed: what was done stays done, as when a step fails in a
 * sequential run, and the next apply plans the rest.
 */
final class ConcurrentSteps {
    static final int WORKERS = 2;

    private ConcurrentSteps() {}

    /** The end (exclusive) of the run of steps from {@code start} that may be carried out together; at least {@code start + 1}. */
    static int runEnd(List<Step> steps, int start) {
        if (!(steps.get(start) instanceof IndependentStep)) {
            return start + 1;
        }
        Class<?> kind = steps.get(start).getClass();
        Set<String> subjects = new HashSet<>();
        int end = start;
        while (end < steps.size() && steps.get(end).getClass() == kind
                && subjects.add(((IndependentStep) steps.get(end)).subject())) {
            end++;
        }
        return end;
    }

    /**
     * Executes {@code run} (steps {@code first + 1 ..} of {@code total}), {@link #WORKERS} at a time.
     */
    static void execute(List<Step> run, int first, int total, Execution ex, Progress progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS, r -> {
            Thread t = new Thread(r, "apply-step");
            t.setDaemon(true);
            return t;
        });
        Semaphore free = new Semaphore(WORKERS);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<?>> started = new ArrayList<>();
        boolean interrupted = false;
        try {
            for (int i = 0; i < run.size(); i++) {
                try {
                    free.acquire();
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
                if (failed.get()) { // checked once a worker is free: a step may fail while we wait
                    break;
                }
                Step step = run.get(i);
                progress.starting(first + i + 1, total, step);
                started.add(pool.submit(() -> {
                    try {
                        step.execute(ex);
                        return null;
                    } catch (Throwable e) { // precise rethrow: IOException, unchecked, Error
                        failed.set(true);
                        throw e;
                    } finally {
                        free.release();
                    }
                }));
            }
            Throwable firstFailure = null;
            for (Future<?> f : started) {
                Throwable cause = waitFor(f); // every started step is waited for, whatever failed before it
                if (cause != null && firstFailure == null) {
                    firstFailure = cause;
                } else if (cause != null) {
                    firstFailure.addSuppressed(cause);
                }
            }
            if (firstFailure instanceof IOException io) {
                throw io;
            }
            if (firstFailure instanceof RuntimeException re) {
                throw re;
            }
            if (firstFailure instanceof Error err) {
                throw err;
            }
            if (interrupted) {
                throw new InterruptedIOException("interrupted between steps");
            }
        } finally {
            pool.shutdown();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for a step, even through an interrupt (its process is already running); its failure, or null. */
    private static Throwable waitFor(Future<?> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    return null;
                } catch (ExecutionException e) {
                    return e.getCause();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
