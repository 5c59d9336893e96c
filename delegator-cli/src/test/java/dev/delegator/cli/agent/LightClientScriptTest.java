package dev.delegator.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Perl light client as the agent writes it: every constant filled in from {@link Frames}, it
 * compiles with warnings on, uses only perl-base modules (perl-base is what Debian always has), and
 * whatever it cannot hand to an agent goes to the JVM line it was given, arguments unchanged.
 */
class LightClientScriptTest {
    @TempDir
    Path dir;

    @Test
    void theWrittenClientHasEveryConstantAndCompiles() throws Exception {
        Prerequisites.requireCommand("perl");
        String script = LaunchRecord.lightClient();
        assertFalse(script.matches("(?s).*@[A-Z_]+@.*"), "a placeholder left: " + script);
        assertTrue(script.contains("my $VERSION = '" + Frames.VERSION + "';"));
        assertTrue(script.contains("'XDG_STATE_HOME', 'HG_NODE', 'HG_NODE_LAST', 'HG_SOURCE', 'GIT_DIR'"));
        Path file = Files.writeString(dir.resolve("light-client.pl"), script);
        CommandResult c = ExternalCommand.run(List.of("perl", "-w", "-c", file.toString()), Map.of(), null, Duration.ofSeconds(30));
        assertEquals(0, c.exitCode(), c.toString());
        assertEquals(file + " syntax OK\n", c.stderr());
    }

    @Test
    void itNeedsNothingButPerlBase() throws Exception {
        Prerequisites.requireCommand("perl", "dpkg-query");
        Path file = Files.writeString(dir.resolve("light-client.pl"), LaunchRecord.lightClient());
        // every module it loads, directly or not, must come from perl-base's own directory: a module
        // loaded first prints %INC once the script is compiled (perl -c runs CHECK blocks, not the script)
        Files.writeString(dir.resolve("ShowInc.pm"), "package ShowInc; CHECK { print join(qq{\\n}, values %INC), qq{\\n} } 1;\n");
        CommandResult c = ExternalCommand.run(List.of("perl", "-I" + dir, "-MShowInc", "-c", file.toString()), Map.of(), null,
                Duration.ofSeconds(30));
        List<String> modules = c.stdout().lines().filter(l -> l.endsWith(".pm") && !l.endsWith("ShowInc.pm")).toList();
        assertFalse(modules.isEmpty(), c.toString());
        String base = ExternalCommand.run(List.of("dpkg-query", "-L", "perl-base"), Map.of(), null, Duration.ofSeconds(30)).stdout();
        for (String m : modules) {
            assertTrue(base.lines().anyMatch(m::equals), m + " is not in perl-base");
        }
    }

    @Test
    void whatItDoesNotHandOverGoesToTheJvmLineUnchanged() throws Exception {
        Prerequisites.requireCommand("perl");
        Path file = Files.writeString(dir.resolve("light-client.pl"), LaunchRecord.lightClient());
        // a stand-in "java" that prints what it was given: agent status is not a request; é is not ASCII
        Path java = Files.writeString(dir.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]' \"$a\"; done\n");
        java.toFile().setExecutable(true);
        CommandResult status = ExternalCommand.run(List.of("perl", file.toString(), dir.toString(), "/x.jar", java.toString(), "-Xa -Xb", "", "--",
                "agent", "status"), Map.of(), null, Duration.ofSeconds(30));
        assertEquals("[-Xa][-Xb][-cp][/x.jar][dev.delegator.cli.DelegatorMain][agent][status]", status.stdout(), status.toString());
        CommandResult accent = ExternalCommand.run(List.of("perl", file.toString(), dir.toString(), "/x.jar", java.toString(), "", "-XX:SharedArchiveFile=/a.jsa",
                "--", "run", "blog", "deploy", "é"), Map.of(), null, Duration.ofSeconds(30));
        assertEquals("[-XX:SharedArchiveFile=/a.jsa][-cp][/x.jar][dev.delegator.cli.DelegatorMain][run][blog][deploy][é]", accent.stdout(),
                accent.toString());
    }
}
