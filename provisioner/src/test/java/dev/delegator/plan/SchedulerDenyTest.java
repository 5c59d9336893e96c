package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SchedulerDenyTest {
    private static TreeSet<String> users(String... names) {
        return new TreeSet<>(Set.of(names));
    }

    @Test
    void appendsTheBlockAndKeepsTheAdminsLines() {
        // Debian's at.deny, shortened
        String debian = "alias\nbackup\n# a comment\n\nnobody\n";
        String out = SchedulerDeny.render(debian, users("dlg-web", "dlg-blog"));
        assertEquals(debian + SchedulerDeny.BEGIN + "\ndlg-blog\ndlg-web\n" + SchedulerDeny.END + "\n", out);
        assertEquals(users("dlg-blog", "dlg-web"), SchedulerDeny.users(out));
    }

    @Test
    void replacesTheBlockInPlaceOfTheOldOneAndRemovesItWhenEmpty() {
        String before = "alias\n" + SchedulerDeny.BEGIN + "\ndlg-old\n" + SchedulerDeny.END + "\nlater-admin-line\n";
        assertEquals("alias\nlater-admin-line\n" + SchedulerDeny.BEGIN + "\ndlg-new\n" + SchedulerDeny.END + "\n",
                SchedulerDeny.render(before, users("dlg-new")));
        assertEquals("alias\nlater-admin-line\n", SchedulerDeny.render(before, users()));
        assertEquals("", SchedulerDeny.render("", users()));
    }

    @Test
    void aFileWithoutAFinalNewlineGetsOne() {
        assertEquals("alias\n" + SchedulerDeny.BEGIN + "\nd\n" + SchedulerDeny.END + "\n", SchedulerDeny.render("alias", users("d")));
    }

    @Test
    void renderingTwiceChangesNothing() {
        String once = SchedulerDeny.render("alias\n", users("a", "b"));
        assertEquals(once, SchedulerDeny.render(once, users("a", "b")));
    }
}
