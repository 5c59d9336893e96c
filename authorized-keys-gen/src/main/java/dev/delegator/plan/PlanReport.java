package dev.delegator.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders plans and statuses for people (grouped, {@code + ~ -}) and as JSON (the same data). */
public final class PlanReport {
    private PlanReport() {}

    /** The readable plan: changes grouped by category in apply order, then blockers and notices. */
    public static String text(Plan plan) {
        StringBuilder b = new StringBuilder();
        Map<Category, List<Change>> grouped = new LinkedHashMap<>();
        for (Category c : Category.values()) {
            grouped.put(c, new ArrayList<>());
        }
        plan.changes().forEach(c -> grouped.get(c.category()).add(c));
        for (Map.Entry<Category, List<Change>> e : grouped.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            b.append(e.getKey().title()).append(":\n");
            for (Change c : e.getValue()) {
                b.append("  ").append(c.display()).append('\n');
            }
        }
        for (Blocker bl : plan.blockers()) {
            b.append("refused: ").append(bl.message()).append('\n');
        }
        for (String n : plan.notices()) {
            b.append("note: ").append(n).append('\n');
        }
        long create = plan.changes().stream().filter(c -> c.action() == Action.CREATE).count();
        long update = plan.changes().stream().filter(c -> c.action() == Action.UPDATE).count();
        long remove = plan.changes().stream().filter(c -> c.action() == Action.REMOVE).count();
        if (plan.isEmpty()) {
            b.append("no changes: this host matches the manifest");
            if (plan.delegations().isEmpty()) {
                b.append(" (no delegation has its caller or delegate on this host)");
            }
            b.append('\n');
        } else {
            b.append("plan: ").append(create).append(" to create, ").append(update).append(" to update, ").append(remove).append(" to remove\n");
        }
        return b.toString();
    }

    /** The plan as JSON: {@code {"changes":[...],"blockers":[...],"notices":[...],"summary":{...}}}. */
    public static String json(Plan plan) {
        StringBuilder b = new StringBuilder("{\"changes\":[");
        List<Change> changes = plan.changes();
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            b.append(i == 0 ? "" : ",").append("{\"category\":").append(str(c.category().jsonName()))
                    .append(",\"action\":").append(str(c.action().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"subject\":").append(str(c.subject()))
                    .append(",\"reason\":").append(str(c.reason()))
                    .append(",\"delegation\":").append(c.delegation().map(PlanReport::str).orElse("null")).append('}');
        }
        b.append("],\"blockers\":[");
        for (int i = 0; i < plan.blockers().size(); i++) {
            Blocker bl = plan.blockers().get(i);
            b.append(i == 0 ? "" : ",").append("{\"kind\":").append(str(bl.kind().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"message\":").append(str(bl.message())).append('}');
        }
        b.append("],\"notices\":[");
        for (int i = 0; i < plan.notices().size(); i++) {
            b.append(i == 0 ? "" : ",").append(str(plan.notices().get(i)));
        }
        b.append("],\"delegations\":[");
        for (int i = 0; i < plan.delegations().size(); i++) {
            Plan.Side s = plan.delegations().get(i);
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(str(s.delegation())).append(",\"side\":").append(str(s.display())).append('}');
        }
        b.append("],\"changesPending\":").append(!plan.isEmpty()).append("}\n");
        return b.toString();
    }

    /** The list as a table. */
    public static String text(List<DelegationStatus> statuses) {
        if (statuses.isEmpty()) {
            return "no delegation has its caller or delegate on this host\n";
        }
        StringBuilder b = new StringBuilder(String.format("%-24s %-16s %-8s %s%n", "DELEGATION", "SIDE", "STATE", "EXPIRES"));
        for (DelegationStatus s : statuses) {
            b.append(String.format("%-24s %-16s %-8s %s%n", s.name(), s.side(), s.state().name().toLowerCase(java.util.Locale.ROOT),
                    s.expires().map(Object::toString).orElse("never")));
            for (String d : s.details()) {
                b.append("    ").append(d).append('\n');
            }
        }
        return b.toString();
    }

    /** The list as JSON: an array of {@code {"name","side","state","expires","details"}}. */
    public static String json(List<DelegationStatus> statuses) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < statuses.size(); i++) {
            DelegationStatus s = statuses.get(i);
            b.append(i == 0 ? "" : ",").append("{\"name\":").append(str(s.name())).append(",\"side\":").append(str(s.side()))
                    .append(",\"state\":").append(str(s.state().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(",\"expires\":").append(s.expires().map(x -> str(x.toString())).orElse("null")).append(",\"details\":[");
            for (int j = 0; j < s.details().size(); j++) {
                b.append(j == 0 ? "" : ",").append(str(s.details().get(j)));
            }
            b.append("]}");
        }
        return b.append("]\n").toString();
    }

    /** A JSON string literal (RFC 8259 escaping). */
    static String str(String s) {
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
                    if (c < 0x20) {
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
