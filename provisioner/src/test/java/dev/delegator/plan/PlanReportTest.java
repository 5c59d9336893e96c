package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Instant;
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

    @Test
    void jsonKeepsItsExactFormat() {
        assertEquals("{\"changes\":["
                + "{\"category\":\"users-and-groups\",\"action\":\"create\",\"subject\":\"user dlg-blog\",\"reason\":\"delegate of blog\",\"delegation\":\"blog\"},"
                + "{\"category\":\"authorized-keys\",\"action\":\"update\",\"subject\":\"line for blog in /etc/delegator/authorized_keys/dlg-blog\","
                + "\"reason\":\"options differ \\\"quoted\\\" \\\\ and\\ttab\",\"delegation\":\"blog\"},"
                + "{\"category\":\"dispatch\",\"action\":\"remove\",\"subject\":\"/etc/delegator/dispatch/old.conf\","
                + "\"reason\":\"delegation no longer applied on this host\",\"delegation\":null}],"
                + "\"blockers\":[{\"kind\":\"refused\",\"message\":\"account x exists\"}],"
                + "\"notices\":[\"caller key of web: ssh-ed25519 AAAA\"],"
                + "\"delegations\":[{\"name\":\"blog\",\"side\":\"caller+delegate\"}],"
                + "\"changesPending\":true}\n", PlanReport.json(PLAN));
    }

    @Test
    void statusJsonKeepsItsExactFormat() {
        List<DelegationStatus> statuses = List.of(
                new DelegationStatus("blog", "caller", DelegationStatus.State.DRIFT, Optional.of(Instant.parse("2027-01-01T00:00:00Z")),
                        List.of("~ line \"x\"\n")),
                new DelegationStatus("wiki", "delegate", DelegationStatus.State.OK, Optional.empty(), List.of()));
        assertEquals("[{\"name\":\"blog\",\"side\":\"caller\",\"state\":\"drift\",\"expires\":\"2027-01-01T00:00:00Z\","
                + "\"details\":[\"~ line \\\"x\\\"\\n\"]},"
                + "{\"name\":\"wiki\",\"side\":\"delegate\",\"state\":\"ok\",\"expires\":null,\"details\":[]}]\n",
                PlanReport.json(statuses));
        assertEquals("[]\n", PlanReport.json(List.of()));
    }
}
