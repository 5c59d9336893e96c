package dev.delegator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.ManifestLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's own logic without a process: names, state file, output, the manifest it applies. */
class DemoPartsTest {
    @Test
    void runNamesCarryTheIdAndLiveBelowTheRunDirectory() {
        DemoRun run = new DemoRun("0c47e8", Path.of("/var/lib/delegator-demo"), "blog");
        assertEquals("dlg-demo-hg-0c47e8", run.caller());
        assertEquals("dlg-blog-0c47e8", run.delegate());
        assertEquals(Path.of("/var/lib/delegator-demo/0c47e8/etc/delegator/delegations.yaml"), run.layout().manifest());
        assertTrue(run.repository().startsWith(run.dir()) && run.delegateHome().startsWith(run.dir()));
        assertTrue(DemoRun.random(DemoRun.DEFAULT_BASE).id().matches("[0-9a-f]{6}"));
    }

    @Test
    void aBadRunIdOrRelativeBaseIsRefusedWithTheValue() {
        IllegalArgumentException id = assertThrows(IllegalArgumentException.class,
                () -> new DemoRun("../x", Path.of("/var/lib/delegator-demo"), "blog"));
        assertEquals("demo run id (../x) must be six hex digits", id.getMessage());
        IllegalArgumentException base = assertThrows(IllegalArgumentException.class,
                () -> new DemoRun("abcdef", Path.of("demo"), "blog"));
        assertEquals("demo directory (demo) must be absolute", base.getMessage());
    }

    @Test
    void theManifestTheDemoAppliesLoadsAndSaysWhatTheReadmeSays() throws Exception {
        DemoRun run = new DemoRun("abc123", Path.of("/var/lib/delegator-demo"), "blog");
        Delegation d = ManifestLoader.parse(Provisioning.manifest(run, 40022, true), "demo").delegation("blog").orElseThrow();
        assertEquals("dlg-demo-hg-abc123", d.caller().user());
        assertEquals("dlg-blog-abc123", d.delegate().user());
        assertEquals(40022, d.hosts().get(0).port());
        assertEquals(List.of("[0-9a-f]{40}"), d.verbs().get("deploy").args());
        assertEquals(Path.of("/var/lib/delegator-demo/abc123/usr/lib/delegator/deploy/hg-deploy"), d.verbs().get("deploy").run());
        assertEquals(Duration.ofMinutes(2), d.sandbox().timeout());
        assertEquals("/var/lib/delegator-demo/abc123/srv/hg/blog", d.settings().get("source"));
    }

    @Test
    void stateIsWrittenAsItGrowsAndReadBack(@TempDir Path dir) {
        DemoState s = DemoState.create(dir);
        s.addUser("dlg-demo-hg-abc123");
        s.addUser("dlg-blog-abc123");
        s.addUser("dlg-blog-abc123");
        s.addGroup("delegator");
        s.putPid("sshd", 4242);
        s.put(DemoState.RUNNING, "1");
        DemoState read = DemoState.read(dir);
        assertEquals(List.of("dlg-demo-hg-abc123", "dlg-blog-abc123"), read.users());
        assertEquals(List.of("delegator"), read.groups());
        assertEquals(4242L, read.pids().get("sshd"));
        assertFalse(read.inProgress(), "pid 1 is not a java demo");
        s.removePid("sshd");
        assertTrue(DemoState.read(dir).pids().isEmpty());
        assertTrue(Files.isRegularFile(dir.resolve(DemoState.FILE)));
        assertEquals(List.of(), Cleanup.runsIn(dir.resolve("none")));
        assertEquals(List.of(dir), Cleanup.runsIn(dir.getParent()).stream().filter(dir::equals).toList());
    }

    @Test
    void plainOutputHasNumberedStepsTicksAndNoEscapes() {
        StringWriter text = new StringWriter();
        Console c = new Console(new PrintWriter(text), false, true);
        c.step("first");
        c.tick("held");
        c.cross("did not");
        c.done(Duration.ofMillis(1234));
        c.step("second");
        assertEquals("[1] first\n    ✓ held\n    ✗ did not\n    done (1.23 s)\n[2] second\n", text.toString());
    }

    @Test
    void withoutUnicodeTheTicksAreWordsAndColourIsAnsiOnlyWhenAsked() {
        StringWriter text = new StringWriter();
        Console c = new Console(new PrintWriter(text), true, false);
        c.tick("held");
        c.cross("did not");
        assertEquals("    \u001b[32mok\u001b[0m held\n    \u001b[31mFAIL\u001b[0m did not\n", text.toString());
    }
}
