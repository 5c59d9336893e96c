package dev.delegator.cli.verify;

import com.google.gson.stream.JsonWriter;
import dev.delegator.client.ProbeCheck;
import dev.delegator.client.ProbeReport;
import dev.delegator.plan.HostView;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/** How verify prints a delegation's verdict: lines for a person, or one JSON line for monitoring. */
final class VerifyOutput {
    private VerifyOutput() {}

    /**
     * Per host a heading and one ✓/✗/- line per check, the host view the same way, then the
     * summary line, {@code blog: verified (15 checks)} or {@code blog: NOT VERIFIED: ...}, which
     * is the line an alert quotes.
     */
    static String text(DelegationVerdict v) {
        StringBuilder b = new StringBuilder();
        for (ProbeReport p : v.probes()) {
            b.append(v.delegation()).append(" on ").append(p.target().label()).append(" as ").append(p.target().user())
                    .append(" (key ").append(p.target().identity().origin()).append("):\n");
            if (p.connectionFailure().isPresent()) {
                b.append("  ✗ cannot connect: ").append(p.connectionFailure().get().message().orElse("connection failed")).append('\n');
            }
            for (ProbeCheck c : p.checks()) {
                b.append("  ").append(c.line()).append('\n');
            }
        }
        v.probeSkipped().ifPresent(s -> b.append(v.delegation()).append(": - probe not tried: ").append(s).append('\n'));
        if (v.hostViewSkipped().isPresent()) {
            b.append(v.delegation()).append(": - host view not checked: ").append(v.hostViewSkipped().get()).append('\n');
        } else {
            b.append(v.delegation()).append(" host view (this is its delegate host):\n");
            for (HostView.Finding f : v.hostView()) {
                b.append("  ").append(f.line()).append('\n');
            }
        }
        b.append(summary(v)).append('\n');
        return b.toString();
    }

    static String summary(DelegationVerdict v) {
        long failed = v.failed();
        long unreachable = v.unreachable();
        if (failed == 0 && unreachable == 0) {
            return v.delegation() + ": verified (" + v.made() + " checks, nothing granted)";
        }
        StringBuilder s = new StringBuilder(v.delegation()).append(": NOT VERIFIED:");
        if (failed > 0) {
            s.append(' ').append(failed).append(" of ").append(v.made()).append(" checks failed");
        }
        if (unreachable > 0) {
            s.append(failed > 0 ? ";" : "").append(' ').append(unreachable).append(unreachable == 1 ? " host" : " hosts")
                    .append(" could not be reached or verified");
        }
        return s.toString();
    }

    /**
     * {@code {"delegation":"blog","verified":true,"summary":"...","hosts":[{"host":"127.0.0.1:22","user":"dlg-blog",
     * "error":null,"checks":[{"id":"shell","result":"refused","tried":"...","answer":"..."}]}],"probeSkipped":null,
     * "hostView":[{"id":"drop-in","result":"ok","text":"..."}],"hostViewSkipped":null}} on one line.
     */
    static String json(DelegationVerdict v) {
        StringWriter s = new StringWriter();
        try (JsonWriter w = new JsonWriter(s)) {
            w.setHtmlSafe(false);
            w.beginObject().name("delegation").value(v.delegation())
                    .name("verified").value(v.failed() == 0 && v.unreachable() == 0)
                    .name("summary").value(summary(v))
                    .name("hosts").beginArray();
            for (ProbeReport p : v.probes()) {
                w.beginObject().name("host").value(p.target().label()).name("user").value(p.target().user())
                        .name("error").value(p.connectionFailure().flatMap(r -> r.message()).orElse(null))
                        .name("checks").beginArray();
                for (ProbeCheck c : p.checks()) {
                    w.beginObject().name("id").value(c.id())
                            .name("result").value(c.verdict().name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .name("tried").value(c.tried()).name("answer").value(c.answer()).endObject();
                }
                w.endArray().endObject();
            }
            w.endArray().name("probeSkipped").value(v.probeSkipped().orElse(null)).name("hostView").beginArray();
            for (HostView.Finding f : v.hostView()) {
                w.beginObject().name("id").value(f.id()).name("result").value(f.held() ? "ok" : "problem")
                        .name("text").value(f.text()).endObject();
            }
            w.endArray().name("hostViewSkipped").value(v.hostViewSkipped().orElse(null)).endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s + "\n";
    }
}
