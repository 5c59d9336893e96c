package dev.delegator.fanout;

import dev.delegator.client.DelegationTarget;
import dev.delegator.client.RunResult;
import java.util.List;
import java.util.Locale;

/**
 * The results of one request on every host, in the order the hosts were given.
 *
 * @param runs one entry per host
 */
public record FanOutResult(List<HostRun> runs) {

    /** One host's result. */
    public record HostRun(DelegationTarget target, RunResult result) {}

    public FanOutResult {
        runs = List.copyOf(runs);
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("a fan-out needs at least one host");
        }
    }

    /**
     * The status to exit with. One host: its status. Several: 0 when all succeeded; else 255 when
     * any host was unreachable (connection, authentication or host-key failure, lost connection);
     * else the status of the first failing host in the given order (a remote status, 128+N, or 124).
     */
    public int exitStatus() {
        if (runs.size() == 1) {
            return runs.get(0).result().exitStatus();
        }
        if (runs.stream().allMatch(r -> r.result().succeeded())) {
            return 0;
        }
        if (runs.stream().anyMatch(r -> r.result().unreachable())) {
            return RunResult.CONNECTION;
        }
        return runs.stream().filter(r -> !r.result().succeeded()).findFirst().orElseThrow().result().exitStatus();
    }

    /** A table: host, exit, duration, result; one line per host. */
    public String summary() {
        int width = Math.max(4, runs.stream().mapToInt(r -> r.target().label().length()).max().orElse(4));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-" + width + "s  %4s  %9s  %s%n", "HOST", "EXIT", "DURATION", "RESULT"));
        for (HostRun r : runs) {
            RunResult res = r.result();
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %4d  %8.2fs  %s%n", r.target().label(),
                    res.exitStatus(), res.duration().toMillis() / 1000.0, describe(res)));
        }
        long ok = runs.stream().filter(r -> r.result().succeeded()).count();
        b.append(String.format(Locale.ROOT, "%d of %d hosts succeeded; exit %d%n", ok, runs.size(), exitStatus()));
        return b.toString();
    }

    private static String describe(RunResult r) {
        return switch (r.outcome()) {
            case EXITED -> r.exitStatus() == 0 ? "ok" : "exited " + r.exitStatus();
            case SIGNALLED -> "killed by signal " + r.signal().orElse("?");
            case TIMED_OUT -> "timed out";
            case CONNECTION_FAILED -> "unreachable";
            case CONNECTION_LOST -> "connection lost";
            case CANCELLED -> "cancelled";
        };
    }
}
