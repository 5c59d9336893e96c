package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.accounts.Accounts;
import dev.delegator.install.ScriptSource;
import dev.delegator.sshdconfig.SshdPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which steps run together, and that a concurrent run keeps the sequential run's order, failure and progress rules. */
class ConcurrentStepsTest {
    private final List<String> done = Collections.synchronizedList(new ArrayList<>());

    /** An independent step that runs {@code body}. */
    record Account(String subject, Body body) implements IndependentStep {
        @Override
        public List<Change> changes() {
            return List.of(Change.of(Category.USERS_AND_GROUPS, Action.CREATE, "user " + subject, "", "d"));
        }

        @Override
        public void execute(Execution ex) throws IOException {
            body.run();
        }
    }

    /** An independent step of another kind. */
    record Other(String subject) implements IndependentStep {
        @Override
        public List<Change> changes() {
            return List.of(Change.of(Category.KEYS, Action.CREATE, "key " + subject, "", "d"));
        }

        @Override
        public void execute(Execution ex) {}
    }

    interface Body {
        void run() throws IOException;
    }

    private Account account(String name) {
        return new Account(name, () -> done.add(name));
    }

    @Test
    void aRunIsTheNeighbouringStepsOfOneIndependentKindWithDistinctSubjects() {
        Step group = new GroupStep("g", java.util.OptionalInt.empty(), "");
        List<Step> steps = List.of(group, account("a"), account("b"), account("a"), account("c"), new Other("x"), account("d"));
        assertEquals(1, ConcurrentSteps.runEnd(steps, 0), "a step that is not independent runs alone");
        assertEquals(3, ConcurrentSteps.runEnd(steps, 1), "a repeated subject ends the run");
        assertEquals(5, ConcurrentSteps.runEnd(steps, 3), "another kind ends the run");
        assertEquals(6, ConcurrentSteps.runEnd(steps, 5));
        assertEquals(7, ConcurrentSteps.runEnd(steps, 6));
    }

    @Test
    void twoStepsRunAtTheSameTime() throws Exception {
        CountDownLatch both = new CountDownLatch(2);
        Body meet = () -> {
            both.countDown();
            try {
                // sequential execution would wait here for ever; the bound only ends a broken run
                assertTrue(both.await(30, TimeUnit.SECONDS), "the other step never started");
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        };
        ConcurrentSteps.execute(List.of(new Account("a", meet), new Account("b", meet)), 0, 2, execution(), Progress.NONE);
        assertEquals(0, both.getCount());
    }

    @Test
    void progressIsToldInPlanOrderWithTheStepsPlaceInThePlan() throws Exception {
        List<String> told = new ArrayList<>();
        List<Step> run = List.of(account("a"), account("b"), account("c"), account("d"), account("e"));
        ConcurrentSteps.execute(run, 3, 10, execution(), (i, n, s) -> told.add(i + "/" + n + " " + s.changes().get(0).display()));
        assertEquals(List.of("4/10 + user a", "5/10 + user b", "6/10 + user c", "7/10 + user d", "8/10 + user e"), told);
        assertEquals(5, done.size());
    }

    @Test
    void afterAFailureNoFurtherStepStartsAndTheFirstFailureInPlanOrderIsThrown() {
        IOException first = new IOException("useradd a failed");
        CountDownLatch bFailed = new CountDownLatch(1);
        Body a = () -> {
            try {
                bFailed.await(30, TimeUnit.SECONDS); // fail after b, yet be reported first
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            throw first;
        };
        Body b = () -> {
            bFailed.countDown();
            throw new IllegalStateException("useradd b failed");
        };
        List<Step> run = new ArrayList<>(List.of(new Account("a", a), new Account("b", b)));
        for (int i = 0; i < 20; i++) {
            run.add(account("later" + i));
        }
        IOException e = assertThrows(IOException.class, () -> ConcurrentSteps.execute(run, 0, run.size(), execution(), Progress.NONE));
        assertSame(first, e);
        assertEquals("useradd b failed", e.getSuppressed()[0].getMessage());
        assertEquals(List.of(), done, "no step starts once one has failed");
    }

    @TempDir
    Path root;

    /** A target of its own under a temp dir (the steps here touch nothing, and never the machine's). */
    private Execution execution() {
        Target t = new Target(dev.delegator.layout.Layout.under(root),
                new SshdPaths(root.resolve("sshd_config"), SshdPaths.DEFAULT_BINARY), ThisHost.named("test-host"),
                new Accounts(), new ScriptSource(List.of(), "0"), java.time.Clock.systemUTC());
        return new Execution(t, false, Duration.ofSeconds(5));
    }
}
