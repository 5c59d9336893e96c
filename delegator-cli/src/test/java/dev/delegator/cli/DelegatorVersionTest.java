package dev.delegator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DelegatorVersionTest {
    private static final Pattern LINE = Pattern.compile("delegator (\\S+)(?: \\(commit ([0-9a-f]{12})(, modified)?\\))?\n");

    @Test
    void versionIsTheBuildsAndTheCommitIsTheCheckoutsHead() {
        CommandUnderTest.Run run = CommandUnderTest.run("--version");
        assertEquals(0, run.status(), run.err());
        Matcher m = LINE.matcher(run.out());
        assertTrue(m.matches(), "unexpected --version output: " + run.out());
        // set by delegator-cli/pom.xml from ${project.version}
        assertEquals(System.getProperty("delegator.expectedVersion"), m.group(1));
        CommandResult head = ExternalCommand.run("git", "rev-parse", "HEAD");
        if (head.exitCode() == 0) {
            assertTrue(m.group(2) != null && head.stdout().startsWith(m.group(2)),
                    "built in a git checkout at " + head.stdout().trim() + ", but --version says: " + run.out());
        } else {
            assertEquals(null, m.group(2), "no git checkout here, yet --version names a commit: " + run.out());
        }
    }

    @Test
    void aCommitWithChangedFilesIsMarkedModified() {
        Properties build = props("version", "1.2.3");
        assertEquals("delegator 1.2.3 (commit 0123456789ab, modified)",
                DelegatorVersion.describe(build, props("git.commit.id.abbrev", "0123456789ab", "git.dirty", "true")));
        assertEquals("delegator 1.2.3 (commit 0123456789ab)",
                DelegatorVersion.describe(build, props("git.commit.id.abbrev", "0123456789ab", "git.dirty", "false")));
    }

    @Test
    void withoutGitOrFilteringItSaysWhatItKnows() {
        assertEquals("delegator 1.2.3", DelegatorVersion.describe(props("version", "1.2.3"), new Properties()));
        assertEquals("delegator development build",
                DelegatorVersion.describe(props("version", "${project.version}"), new Properties()));
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }
}
