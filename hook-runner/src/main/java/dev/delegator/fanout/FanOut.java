package dev.delegator.fanout;

import dev.delegator.audit.AuditLog;
import dev.delegator.audit.AuditRecord;
import dev.delegator.client.DelegationRunner;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.RunRequest;
import dev.delegator.client.RunResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs one request on one or more hosts and audits every run. With one host, output is relayed
 * as is and stdin is forwarded. With several, they run concurrently (at most {@code parallel} at
 * a time), each output line is prefixed with {@code host: }, and stdin is not forwarded (one
 * stream cannot feed several commands; each gets an empty one).
 */
public final class FanOut {
    /**
     * The bound {@code run} and the hooks use unless told otherwise: measured with
     * {@code bench/fanout-parallel.sh} on a 2-core caller (README "A fleet"), where more hosts at
     * once no longer shortened the run but made every other process on the caller wait longer.
     */
    public static final int DEFAULT_PARALLEL = 16;

    private final DelegationRunner runner;
    private final int parallel;
    private final Optional<AuditLog> audit;
    private final Consumer<String> warnings;

    /**
     * @param runner the SSH runner
     * @param parallel most hosts at once; 0 = all
     * @param audit where to append one line per run, if anywhere
     * @param warnings receives problems that must not change the exit status (audit log unwritable)
     */
    public FanOut(DelegationRunner runner, int parallel, Optional<AuditLog> audit, Consumer<String> warnings) {
        if (parallel < 0) {
            throw new IllegalArgumentException("parallel (" + parallel + ") must be 0 (all) or positive");
        }
        this.runner = runner;
        this.parallel = parallel;
        this.audit = audit;
        this.warnings = warnings;
    }

    /** Runs {@code request} on every target; returns when all have ended. */
    public FanOutResult run(List<DelegationTarget> targets, RunRequest request, InputStream in, OutputStream out,
            OutputStream err) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no host to run on");
        }
        if (targets.size() == 1) {
            DelegationTarget t = targets.get(0);
            RunResult r = runner.run(t, request, in, out, err);
            record(t, request, r);
            return new FanOutResult(List.of(new FanOutResult.HostRun(t, r)));
        }
        Object lock = new Object();
        int threads = parallel == 0 ? targets.size() : Math.min(parallel, targets.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, "fanout");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<FanOutResult.HostRun>> futures = new ArrayList<>();
            for (DelegationTarget t : targets) {
                futures.add(pool.submit(() -> runPrefixed(t, request, out, err, lock)));
            }
            List<FanOutResult.HostRun> runs = new ArrayList<>();
            for (Future<FanOutResult.HostRun> f : futures) {
                runs.add(join(f));
            }
            return new FanOutResult(runs);
        } finally {
            pool.shutdownNow();
        }
    }

    private FanOutResult.HostRun runPrefixed(DelegationTarget t, RunRequest request, OutputStream out,
            OutputStream err, Object lock) throws IOException {
        String prefix = t.label() + ": ";
        try (LinePrefixingOutputStream pOut = new LinePrefixingOutputStream(prefix, out, lock);
                LinePrefixingOutputStream pErr = new LinePrefixingOutputStream(prefix, err, lock)) {
            RunResult r = runner.run(t, request, InputStream.nullInputStream(), pOut, pErr);
            record(t, request, r);
            return new FanOutResult.HostRun(t, r);
        }
    }

    private void record(DelegationTarget t, RunRequest request, RunResult r) {
        audit.flatMap(log -> log.append(new AuditRecord(Instant.now(), t.delegation(), t.label(), t.user(),
                request.command(), r.outcome().name(), r.exitStatus(), r.duration().toMillis(), r.bytesOut())))
                .ifPresent(warnings);
    }

    private static FanOutResult.HostRun join(Future<FanOutResult.HostRun> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the hosts", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a host's run failed unexpectedly: " + e.getCause(), e.getCause());
        }
    }
}
