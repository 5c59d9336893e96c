package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestLoader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** apply in child JVMs: killed with SIGKILL at several points, and two at once. Runs as root. */
class CrashAndConcurrencyTest {
    ProvisionFixture fx;
    List<String> names = new ArrayList<>();
    Path manifest;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ProvisionFixture();
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            String n = ProvisionFixture.randomName("t");
            names.add(n);
            yaml.append(fx.delegation(n, fx.delegate()));
        }
        manifest = fx.writeManifest(yaml.toString());
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private Process child() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ApplyChild.class.getName(),
                fx.root.path().toString(), manifest.toString(), fx.sshd.configFile().toString(), ProvisionFixture.HOST)
                .redirectErrorStream(true).start();
    }

    /** Runs a child apply and SIGKILLs it once it announces step {@code killAt}; returns its output. */
    private String runAndKill(int killAt) throws Exception {
        Process p = child();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.equals("step " + killAt)) {
                    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                    break;
                }
            }
        }
        p.waitFor(60, TimeUnit.SECONDS);
        return out.toString();
    }

    private String runToEnd(Process p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "apply did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private void assertEveryAuthorizedKeysFileParses() throws Exception {
        Path dir = fx.layout().authorizedKeysDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(x -> !x.getFileName().toString().startsWith(".")).toList()) {
                AuthorizedKeysFile parsed = AuthorizedKeysFile.read(f);
                parsed.requireWritable();
                assertTrue(parsed.structureProblems().isEmpty(), f + ": " + parsed.structureProblems());
                assertEquals(parsed.text(), Files.readString(f));
            }
        }
    }

    @Test
    void killedAtAnyPointTheNextApplyCompletes() throws Exception {
        Manifest m = ManifestLoader.load(manifest);
        for (int killAt : new int[] {2, 5, 9, 14, 19, 24}) {
            String out = runAndKill(killAt);
            assertTrue(out.contains("step " + killAt) && !out.contains("applied"), () -> "not killed at step " + killAt + ": " + out);
            assertEveryAuthorizedKeysFileParses();
            String done = runToEnd(child());
            assertTrue(done.contains("applied") || done.contains("no changes"), done);
            assertEveryAuthorizedKeysFileParses();
            Plan left = Planner.plan(m, fx.target());
            assertTrue(left.isEmpty() && left.blockers().isEmpty(), () -> "after kill at step " + killAt + ": " + left.changes() + left.blockers());
            // start the next round from scratch: take every delegation away again
            for (String n : names) {
                Revoker.revoke(n, m.delegation(n), true, fx.target(), new Applier.Options(false, Duration.ofMinutes(1), Progress.NONE));
            }
            Files.deleteIfExists(fx.sshd.configFile().resolveSibling("sshd_config.d").resolve("50-delegator.conf"));
        }
    }

    @Test
    void twoAppliesAtOnceSerialize() throws Exception {
        Process a = child();
        Process b = child();
        String outA = runToEnd(a);
        String outB = runToEnd(b);
        List<String> results = Stream.of(outA, outB).map(o -> o.lines().reduce((x, y) -> y).orElse("")).sorted().toList();
        assertTrue(results.get(0).startsWith("applied "), results::toString);
        assertEquals("no changes", results.get(1), results::toString);
        // the one that waited never started a step: it planned only after the other finished
        String waited = outA.contains("no changes") ? outA : outB;
        assertEquals(Optional.empty(), waited.lines().filter(l -> l.startsWith("step ")).findFirst(), waited);
        assertEveryAuthorizedKeysFileParses();
        assertTrue(Planner.plan(ManifestLoader.load(manifest), fx.target()).isEmpty());
    }
}
