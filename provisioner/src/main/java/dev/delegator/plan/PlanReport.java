package dev.delegator.plan;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders plans and statuses for people (grouped, {@code + ~ -}) and as JSON (the same data). */
public final class PlanReport {
    private PlanReport() {}

    /** The readable plan: changes grouped by category in apply order, then blockers and notices. */
    public static String text(Plan plan) {
        return text(plan, "no changes: this host matches the manifest"
                + (plan.delegations().isEmpty() ? " (no delegation has its caller or delegate on this host)" : ""));
    }

    /** The readable plan, with {@code whenEmpty} as its last line when it has no step (revoke: "nothing of delegation blog found on this host"). */
    public static String text(Plan plan, String whenEmpty) {
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
            b.append(whenEmpty).append('\n');
        } else {
            b.append("plan: ").append(create).append(" to create, ").append(update).append(" to update, ").append(remove).append(" to remove\n");
        }
        return b.toString();
    }

    /** The plan as JSON: {@code {"changes":[...],"blockers":[...],"notices":[...],"delegations":[...],"changesPending":...}}. */
    public static String json(Plan plan) {
        return document(w -> {
            w.beginObject().name("changes").beginArray();
            for (Change c : plan.changes()) {
                w.beginObject()
                        .name("category").value(c.category().jsonName())
                        .name("action").value(lower(c.action()))
                        .name("subject").value(c.subject())
                        .name("reason").value(c.reason())
                        .name("delegation").value(c.delegation().orElse(null))
                        .endObject();
            }
            w.endArray().name("blockers").beginArray();
            for (Blocker bl : plan.blockers()) {
                w.beginObject().name("kind").value(lower(bl.kind())).name("message").value(bl.message()).endObject();
            }
            w.endArray().name("notices").beginArray();
            for (String n : plan.notices()) {
                w.value(n);
            }
            w.endArray().name("delegations").beginArray();
            for (Plan.Side s : plan.delegations()) {
                w.beginObject().name("name").value(s.delegation()).name("side").value(s.display()).endObject();
            }
            w.endArray().name("changesPending").value(!plan.isEmpty()).endObject();
        });
    }

    /** The list as a table. */
    public static String text(List<DelegationStatus> statuses) {
        if (statuses.isEmpty()) {
            return "no delegation has its caller or delegate on this host\n";
        }
        StringBuilder b = new StringBuilder(String.format("%-24s %-16s %-8s %s%n", "DELEGATION", "SIDE", "STATE", "EXPIRES"));
        for (DelegationStatus s : statuses) {
            b.append(String.format("%-24s %-16s %-8s %s%n", s.name(), s.side(), s.state().name().toLowerCase(Locale.ROOT),
                    s.expires().map(Object::toString).orElse("never")));
            for (String d : s.details()) {
                b.append("    ").append(d).append('\n');
            }
        }
        return b.toString();
    }

    /** The list as JSON: an array of {@code {"name","side","state","expires","details"}}. */
    public static String json(List<DelegationStatus> statuses) {
        return document(w -> {
            w.beginArray();
            for (DelegationStatus s : statuses) {
                w.beginObject()
                        .name("name").value(s.name())
                        .name("side").value(s.side())
                        .name("state").value(lower(s.state()))
                        .name("expires").value(s.expires().map(Object::toString).orElse(null))
                        .name("details").beginArray();
                for (String d : s.details()) {
                    w.value(d);
                }
                w.endArray().endObject();
            }
            w.endArray();
        });
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** What a JSON body writes; JsonWriter declares IOException even over a StringWriter. */
    private interface Body {
        void write(JsonWriter w) throws IOException;
    }

    /** One JSON document and a newline, as the commands print it. */
    private static String document(Body body) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            body.write(w);
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out + "\n";
    }
}
