package dev.delegator.fanout;

import com.google.gson.stream.JsonWriter;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.RunResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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

    /**
     * A table: host, exit, duration, result, one line per host; then, when any failed, one line
     * {@code failed: HOST (result), ...}; then {@code N of M hosts succeeded; exit S}.
     */
    public String summary() {
        int width = Math.max(4, runs.stream().mapToInt(r -> r.target().label().length()).max().orElse(4));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-" + width + "s  %4s  %9s  %s%n", "HOST", "EXIT", "DURATION", "RESULT"));
        for (HostRun r : runs) {
            RunResult res = r.result();
            b.append(String.format(Locale.ROOT, "%-" + width + "s  %4d  %8.2fs  %s%n", r.target().label(),
                    res.exitStatus(), res.duration().toMillis() / 1000.0, describe(res)));
        }
        List<HostRun> failed = runs.stream().filter(r -> !r.result().succeeded()).toList();
        if (!failed.isEmpty()) {
            // the hosts to look at, on one line a person (or grep) finds without reading the table
            b.append("failed: ").append(failed.stream().map(r -> r.target().label() + " (" + describe(r.result()) + ")")
                    .collect(Collectors.joining(", "))).append(System.lineSeparator());
        }
        b.append(String.format(Locale.ROOT, "%d of %d hosts succeeded; exit %d%n", runs.size() - failed.size(), runs.size(),
                exitStatus()));
        return b.toString();
    }

    /**
     * The result as one JSON object on one line ({@code run --json}): {@code exit}, {@code succeeded},
     * {@code total} and {@code hosts}, one object per host in the order given with {@code host},
     * {@code exit}, {@code result} (the summary's words), {@code outcome} ({@link RunResult.Outcome}
     * in lower case), {@code signal}, {@code error} (the one-line reason, or null when the command
     * exited), {@code duration_ms}, {@code bytes_out} and {@code bytes_err}.
     */
    public String toJson() {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.setSerializeNulls(true);
            w.beginObject().name("exit").value(exitStatus())
                    .name("succeeded").value(runs.stream().filter(r -> r.result().succeeded()).count())
                    .name("total").value(runs.size())
                    .name("hosts").beginArray();
            for (HostRun r : runs) {
                RunResult res = r.result();
                w.beginObject().name("host").value(r.target().label())
                        .name("exit").value(res.exitStatus())
                        .name("result").value(describe(res))
                        .name("outcome").value(res.outcome().name().toLowerCase(Locale.ROOT))
                        .name("signal").value(res.signal().orElse(null))
                        .name("error").value(res.message().orElse(null))
                        .name("duration_ms").value(res.duration().toMillis())
                        .name("bytes_out").value(res.bytesOut())
                        .name("bytes_err").value(res.bytesErr())
                        .endObject();
            }
            w.endArray().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return text.toString();
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
