package dev.delegator.audit;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

/**
 * One run on one host, as the audit log keeps it.
 *
 * @param time when the run ended (UTC)
 * @param delegation the delegation's name ("-" for the explicit form)
 * @param host host label (host or host:port)
 * @param user the delegate account
 * @param request the exec request sent
 * @param outcome how it ended (EXITED, SIGNALLED, TIMED_OUT, …)
 * @param exit the exit status the caller saw
 * @param durationMs wall-clock milliseconds
 * @param bytesOut remote stdout bytes relayed
 */
public record AuditRecord(Instant time, String delegation, String host, String user, String request, String outcome,
        int exit, long durationMs, long bytesOut) {

    public AuditRecord {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(outcome, "outcome");
    }

    /**
     * One JSON object on one line (no newline inside, whatever the values hold): Gson's JsonWriter
     * escapes control characters and U+2028/U+2029, so a value cannot break the one-line-per-run log.
     */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject()
                    .name("time").value(time.toString())
                    .name("delegation").value(delegation)
                    .name("host").value(host)
                    .name("user").value(user)
                    .name("request").value(request)
                    .name("outcome").value(outcome)
                    .name("exit").value(exit)
                    .name("duration_ms").value(durationMs)
                    .name("bytes_out").value(bytesOut)
                    .endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }
}
