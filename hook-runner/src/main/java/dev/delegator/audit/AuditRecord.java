package dev.delegator.audit;

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

    /** One JSON object on one line (no newline inside, whatever the values hold). */
    public String toJson() {
        return "{\"time\":" + str(time.toString()) + ",\"delegation\":" + str(delegation) + ",\"host\":" + str(host)
                + ",\"user\":" + str(user) + ",\"request\":" + str(request) + ",\"outcome\":" + str(outcome)
                + ",\"exit\":" + exit + ",\"duration_ms\":" + durationMs + ",\"bytes_out\":" + bytesOut + "}";
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
