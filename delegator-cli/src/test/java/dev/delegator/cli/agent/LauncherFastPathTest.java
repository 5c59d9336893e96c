package dev.delegator.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.run.Delegates;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real launcher ({@code ./delegator}, installed form: a {@code delegator.jar} beside it whose
 * manifest points at this build's classes) while an agent runs: it runs the agent's Perl light client
 * (or, without one, execs the JVM command line the agent's starter recorded), without its own
 * checks, and only while the record is valid.
 */
class LauncherFastPathTest {
    @Test
    void whileTheAgentRunsTheLauncherExecsTheRecordedCommandLineAndNotOnceTheJarIsNewer() throws Exception {
        try (Delegates d = Delegates.start("fast", 1)) {
            Path launcher = Delegates.installedLauncher(d.root.path());
            Path jar = launcher.resolveSibling("delegator.jar");
            List<String> run = new ArrayList<>(List.of("/bin/sh", "-x", launcher.toString(), "run", "--reuse", "60s", "--no-audit",
                    "--host", "127.0.0.1", "--port", String.valueOf(d.servers.get(0).port()), "--user", d.user.name(),
                    "--identity", d.key.toString(), "--known-hosts", d.knownHosts.toString(), "--", "deploy"));
            Map<String, String> env = Map.of("DELEGATOR_AGENT_DIR", d.agentDir.toString(), "DELEGATOR_CDS", "off");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

            run.add("first");
            CommandResult first = ExternalCommand.run(run, env, null, Duration.ofSeconds(60));
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals("deployed first as " + d.user.name() + "\n", first.stdout());
            assertTrue(first.stderr().contains("+ family=run"), "the first run takes the full start: " + first.stderr());
            assertEquals(launcher + "\n" + java + "\n" + jar + "\n\n", firstLines(d.agentDir.resolve("launch"), 4));

            run.set(run.size() - 1, "second");
            // Perl's own environment options never reach the client (this one would make perl die at start)
            Map<String, String> perlOptions = new java.util.HashMap<>(env);
            perlOptions.put("PERL5OPT", "-Mdelegator_no_such_module");
            perlOptions.put("PERL_UNICODE", "SDA");
            CommandResult second = ExternalCommand.run(run, perlOptions, null, Duration.ofSeconds(60));
            assertEquals(0, second.exitCode(), second.toString());
            assertEquals("deployed second as " + d.user.name() + "\n", second.stdout());
            assertFalse(second.stderr().contains("+ family="), "no launcher checks: " + second.stderr());
            assertTrue(second.stderr().contains("+ exec perl -- " + d.agentDir.resolve("light-client.pl") + " " + d.agentDir + " " + jar + " " + java + " "),
                    "the Perl light client, given the recorded JVM line: " + second.stderr());
            assertEquals(2, d.agentRuns(), "the first run, forwarded by its full start, and the second: " + d.agentLog());

            // an agent that wrote no Perl client (an older build's): the recorded JVM line itself
            Files.delete(d.agentDir.resolve("light-client.pl"));
            run.set(run.size() - 1, "jvm");
            CommandResult jvm = ExternalCommand.run(run, env, null, Duration.ofSeconds(60));
            assertEquals(0, jvm.exitCode(), jvm.toString());
            assertEquals("deployed jvm as " + d.user.name() + "\n", jvm.stdout());
            assertFalse(jvm.stderr().contains("+ family="), "no launcher checks: " + jvm.stderr());
            assertTrue(jvm.stderr().contains("+ exec " + java + " "), jvm.stderr());
            assertTrue(jvm.stderr().contains(" -cp " + jar + " dev.delegator.cli.DelegatorMain run"), jvm.stderr());
            assertEquals(3, d.agentRuns(), d.agentLog());

            // a new build (an upgrade): the record is older than the jar, the launcher starts in full
            Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
            run.set(run.size() - 1, "third");
            CommandResult third = ExternalCommand.run(run, env, null, Duration.ofSeconds(60));
            assertEquals(0, third.exitCode(), third.toString());
            assertEquals("deployed third as " + d.user.name() + "\n", third.stdout());
            assertTrue(third.stderr().contains("+ family=run"), third.stderr());
            ExternalCommand.run(List.of(launcher.toString(), "agent", "stop"), env, null, Duration.ofSeconds(30));
        }
    }

    private static String firstLines(Path file, int n) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < n; i++) {
            b.append(lines.get(i)).append('\n');
        }
        return b.toString();
    }
}
