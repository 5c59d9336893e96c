package dev.delegator.authorizedkeys;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What lint found over a set of files.
 *
 * @param problems   every problem, in file and line order
 * @param unreadable files that could not be read at all, one message each
 */
public record LintReport(List<LintProblem> problems, List<String> unreadable) {
    public LintReport {
        problems = List.copyOf(problems);
        unreadable = List.copyOf(unreadable);
    }

    /** True when nothing was found and every file was read. */
    public boolean clean() {
        return problems.isEmpty() && unreadable.isEmpty();
    }

    /** The report as JSON: {@code {"problems":[{"file":…,"line":…,"column":…,"kind":…,"problem":…,"consequence":…}],"unreadable":[…]}}. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject().name("problems").beginArray();
            for (LintProblem p : problems) {
                w.beginObject()
                        .name("file").value(p.source())
                        // 0 means the problem is about the whole file, not a place in it
                        .name("line").value(p.line() == 0 ? null : (Number) p.line())
                        .name("column").value(p.column() == 0 ? null : (Number) p.column())
                        .name("kind").value(p.kind())
                        .name("problem").value(p.problem())
                        .name("consequence").value(p.consequence())
                        .endObject();
            }
            w.endArray().name("unreadable").beginArray();
            for (String u : unreadable) {
                w.value(u);
            }
            w.endArray().endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString();
    }
}
