package dev.delegator.authorizedkeys;

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
        StringBuilder b = new StringBuilder("{\"problems\":[");
        for (int i = 0; i < problems.size(); i++) {
            LintProblem p = problems.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"file\":").append(str(p.source()))
                    .append(",\"line\":").append(p.line() == 0 ? "null" : Integer.toString(p.line()))
                    .append(",\"column\":").append(p.column() == 0 ? "null" : Integer.toString(p.column()))
                    .append(",\"kind\":").append(str(p.kind()))
                    .append(",\"problem\":").append(str(p.problem()))
                    .append(",\"consequence\":").append(str(p.consequence()))
                    .append('}');
        }
        b.append("],\"unreadable\":[");
        for (int i = 0; i < unreadable.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(str(unreadable.get(i)));
        }
        return b.append("]}").toString();
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
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
