package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

class PlanReportTest {
    record FakeStep(List<Change> changes) implements Step {
        @Override
        public void execute(Execution ex) throws IOException {
            throw new AssertionError("a report never executes");
        }
    }

    private static final Plan PLAN = new Plan(
            List.of(new FakeStep(List.of(
                    Change.of(Category.USERS_AND_GROUPS, Action.CREATE, "user dlg-blog", "delegate of blog", "blog"),
                    Change.of(Category.AUTHORIZED_KEYS, Action.UPDATE, "line for blog in /etc/delegator/authorized_keys/dlg-blog",
                            "options differ \"quoted\" \\ and\ttab", "blog"),
                    Change.of(Category.DISPATCH, Action.REMOVE, "/etc/delegator/dispatch/old.conf", "delegation no longer applied on this host", null)))),
            List.of(new Blocker(Blocker.Kind.REFUSED, "account x exists")),
            List.of("caller key of web: ssh-ed25519 AAAA"),
            List.of(new Plan.Side("blog", true, true)));

    @Test
    void textGroupsByCategoryInApplyOrder() {
        String text = PlanReport.text(PLAN);
        assertEquals("""
                users and groups:
                  + user dlg-blog (delegate of blog)
                dispatcher configs:
                  - /etc/delegator/dispatch/old.conf (delegation no longer applied on this host)
                authorized_keys lines:
                  ~ line for blog in /etc/delegator/authorized_keys/dlg-blog (options differ "quoted" \\ and\ttab)
                refused: account x exists
                note: caller key of web: ssh-ed25519 AAAA
                plan: 1 to create, 1 to update, 1 to remove
                """, text);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonIsTheSameData() {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(PlanReport.json(PLAN));
        List<Map<String, Object>> changes = (List<Map<String, Object>>) doc.get("changes");
        assertEquals(3, changes.size());
        assertEquals(Map.of("category", "authorized-keys", "action", "update", "subject", "line for blog in /etc/delegator/authorized_keys/dlg-blog",
                "reason", "options differ \"quoted\" \\ and\ttab", "delegation", "blog"), changes.get(1));
        assertEquals(Optional.empty(), Optional.ofNullable(changes.get(2).get("delegation")));
        assertEquals(true, doc.get("changesPending"));
        assertTrue(((List<?>) doc.get("blockers")).size() == 1);
    }
}
