package dev.delegator.it.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.accounts.Accounts;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.authorizedkeys.AuthorizedKeysLinter;
import dev.delegator.authorizedkeys.LintReport;
import dev.delegator.install.ScriptSource;
import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.plan.Applier;
import dev.delegator.plan.Progress;
import dev.delegator.plan.Target;
import dev.delegator.plan.ThisHost;
import dev.delegator.sshdconfig.SshdPaths;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Faults of {@code delegator apply} itself, on one provisioned host with three delegations whose
 * manifest switches between two variants A and B (other argument patterns and {@code from}), so
 * every apply rewrites three dispatcher configs and three authorized_keys files.
 *
 * <ul>
 *   <li>{@code kill -9} of the CLI apply (a child process) after a random delay within the
 *       measured apply duration (mostly between its first step and its end, where it writes), 50 times: afterwards every authorized_keys file parses and lints
 *       clean with the product's parser and linter, every file is exactly its A or its B content
 *       (never partial), every dispatcher config is accepted by the real dispatcher, and the next
 *       apply completes the work. (The next apply runs in-process, as {@code ApplyCommand} calls
 *       the library, to keep 50 rounds short; the killed one is always the real CLI.)</li>
 *   <li>20 concurrent CLI applies: all succeed, exactly one changes anything, the files equal a
 *       single apply's, and a hand-written line outside the managed block is kept.</li>
 * </ul>
 * provision's own tests kill apply at six fixed points ({@code CrashAndConcurrencyTest} in provisioner);
 * these add random moments through the whole CLI.
 */
@DisplayName("fault: apply killed at random moments, and applied 20 times at once")
class ApplyFaultsIT {
    private static final int KILLS = 50;
    private static final int CONCURRENT = 20;
    /** Enough delegations that apply's writing phase (two files each, each fsynced) is long enough to hit. */
    private static final int DELEGATIONS = 6;

    private static Provisioner host;
    private static TestUser ci;
    private static List<String> delegations = new ArrayList<>();
    private static List<String> delegates = new ArrayList<>();
    private static Path verb;
    private static Map<Path, String> filesA;
    private static Map<Path, String> filesB;
    /** From the CLI apply's start until its first step: JVM start, lock, plan. */
    private static Duration firstStep;
    /** From the CLI apply's start until it exited. */
    private static Duration applyDuration;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser", "sshd", "ssh-keygen");
        DelegatorCli.jar();
        host = Provisioner.start("applyfault");
        ci = host.host().users().create("ci", host.dir("home"));
        String r = Provisioner.random();
        for (int i = 1; i <= DELEGATIONS; i++) {
            delegations.add("k" + i + "-" + r);
            delegates.add(host.delegate("dlg-k" + i + "-" + r));
        }
        verb = host.dir("bin").resolve("verb");
        Files.writeString(verb, "#!/bin/sh\necho ran\n");
        Files.setPosixFilePermissions(verb, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        host.apply(manifest('A'));
        filesA = managedFiles();
        measureApply(manifest('B'));
        filesB = managedFiles();
        for (Path p : filesA.keySet()) {
            if (p.startsWith(host.layout().authorizedKeysDir()) || p.startsWith(host.layout().dispatchConfDir())) {
                assertTrue(!filesA.get(p).equals(filesB.get(p)), "variant B changes " + p);
            }
        }
    }

    /**
     * Runs one CLI apply that has work to do and measures, from its start, when it begins its first
     * step ({@code [1/N]} on stdout) and when it exits: the kills land at random moments in between,
     * where files are written, and also before (while it starts and plans).
     */
    private static void measureApply(String manifest) throws Exception {
        host.writeManifest(manifest);
        List<String> args = new ArrayList<>(List.of("apply"));
        args.addAll(host.options());
        args.add("--no-reload");
        Path log = host.root().resolve("measured-apply.log");
        long start = System.nanoTime();
        Process apply = DelegatorCli.start(args, log);
        long first = 0;
        while (apply.isAlive() || first == 0) {
            if (first == 0 && Files.readString(log).contains("[1/")) {
                first = System.nanoTime();
            }
            if (!apply.isAlive() && first == 0) {
                first = System.nanoTime();
            }
            Thread.sleep(2);
        }
        long end = System.nanoTime();
        assertEquals(0, apply.exitValue(), Files.readString(log));
        firstStep = Duration.ofNanos(first - start);
        applyDuration = Duration.ofNanos(end - start);
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    private static String manifest(char variant) {
        StringBuilder b = new StringBuilder("version: 1\ndelegations:\n");
        Path homes = host.root().resolve("home");
        for (int i = 0; i < delegations.size(); i++) {
            b.append("  ").append(delegations.get(i)).append(":\n")
                    .append("    caller: {user: ").append(ci.name()).append("}\n")
                    .append("    delegate: {user: ").append(delegates.get(i)).append(", home: ").append(homes.resolve(delegates.get(i))).append("}\n")
                    .append("    hosts: ['localhost:").append(host.host().sshd().port()).append("']\n")
                    .append(variant == 'A' ? "" : "    from: ['127.0.0.1']\n")
                    .append("    verbs:\n")
                    .append("      deploy: {run: ").append(verb).append(", args: ['")
                    .append(variant == 'A' ? "[0-9a-f]{40}" : "v[0-9]+").append("']}\n");
        }
        return b.toString();
    }

    /** Every file apply manages that a kill could tear: authorized_keys, dispatcher configs, caller keys and known_hosts. */
    private static Map<Path, String> managedFiles() throws IOException {
        Map<Path, String> files = new TreeMap<>();
        for (Path dir : List.of(host.layout().authorizedKeysDir(), host.layout().dispatchConfDir(), host.layout().callersDir())) {
            try (Stream<Path> s = Files.walk(dir)) {
                // dot files are apply's lock files and temp files beside a target: sshd and the dispatcher never read them
                for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                    files.put(p, Files.readString(p));
                }
            }
        }
        return files;
    }

    private static List<Path> authorizedKeysFiles() throws IOException {
        try (Stream<Path> s = Files.list(host.layout().authorizedKeysDir())) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    /** After a kill: everything parses, each file is exactly old or new, the dispatcher accepts every config. */
    private static void assertConsistent(String when) throws IOException {
        List<Path> keys = authorizedKeysFiles();
        assertEquals(delegates.size(), keys.size(), when + ": one authorized_keys file per delegate: " + keys);
        for (Path p : keys) {
            AuthorizedKeysFile.read(p).render(); // strict: a torn managed block or a duplicate key throws
        }
        LintReport lint = AuthorizedKeysLinter.forThisMachine().lint(keys);
        assertTrue(lint.clean(), () -> when + ": lint: " + lint.problems());
        Map<Path, String> now = managedFiles();
        for (Map.Entry<Path, String> e : now.entrySet()) {
            String a = filesA.get(e.getKey());
            String b = filesB.get(e.getKey());
            assertTrue(e.getValue().equals(a) || e.getValue().equals(b), () -> when + ": " + e.getKey()
                    + " is neither the old nor the new content:\n" + e.getValue());
        }
        for (Path p : filesA.keySet()) {
            assertTrue(Files.exists(p), () -> when + ": " + p + " is lost");
        }
        for (int i = 0; i < delegations.size(); i++) {
            // the real dispatcher parses the config and rejects an unknown verb with 126 (78 = config broken)
            CommandResult d = ExternalCommand.run(List.of("runuser", "-u", delegates.get(i), "--", "env", "-i",
                    "SSH_ORIGINAL_COMMAND=no-such-verb", "SSH_CONNECTION=127.0.0.1 1 127.0.0.1 22",
                    host.layout().dispatcher().toString(), "--conf-dir", host.layout().dispatchConfDir().toString(),
                    delegations.get(i)), Map.of(), new byte[0], Duration.ofSeconds(30));
            assertEquals(126, d.exitCode(), () -> when + ": dispatcher on " + delegations.get(0) + ": " + d);
        }
    }

    private static Applier.Result applyInProcess() throws Exception {
        Target target = new Target(host.layout(), new SshdPaths(host.host().sshdConfig(), Path.of("/usr/sbin/sshd")), ThisHost.detect(),
                new Accounts(), ScriptSource.bundled(), Clock.systemUTC());
        return Applier.apply(ManifestLoader.load(host.layout().manifest()), target,
                new Applier.Options(false, Duration.ofMinutes(2), Progress.NONE));
    }

    @Test
    @DisplayName("kill -9 of apply at 50 random moments: every authorized_keys file and dispatcher config parses, "
            + "each file is old or new, and the next apply completes")
    void killedAtRandomMoments() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        long from = firstStep.toMillis();
        long window = applyDuration.toMillis();
        int changedOnNext = 0;
        int midway = 0;
        List<Path> changing = filesA.keySet().stream().filter(p -> !filesA.get(p).equals(filesB.get(p))).toList();
        for (int round = 0; round < KILLS; round++) {
            char target = round % 2 == 0 ? 'A' : 'B';
            host.writeManifest(manifest(target));
            // three in four kills between the first step and the end (the writes), the rest anywhere in the run
            long delay = random.nextInt(4) == 0 ? (long) (random.nextDouble() * window)
                    : from + (long) (random.nextDouble() * Math.max(1, window - from));
            String when = "seed " + seed + ", round " + round + ", killed after " + delay + " ms of " + window;
            List<String> args = new ArrayList<>(List.of("apply"));
            args.addAll(host.options());
            args.add("--no-reload");
            Process apply = DelegatorCli.start(args, host.root().resolve("killed-apply.log"));
            apply.waitFor(delay, TimeUnit.MILLISECONDS);
            apply.destroyForcibly(); // SIGKILL
            apply.waitFor();

            assertConsistent(when);
            Map<Path, String> now = managedFiles();
            Map<Path, String> goal = target == 'A' ? filesA : filesB;
            long done = changing.stream().filter(p -> now.get(p).equals(goal.get(p))).count();
            midway += done > 0 && done < changing.size() ? 1 : 0;
            Applier.Result next = applyInProcess();
            assertTrue(next.after().isEmpty(), () -> when + ": the next apply left work: " + next.after().changes());
            changedOnNext += next.executed().isEmpty() ? 0 : 1;
            assertEquals(target == 'A' ? filesA : filesB, withoutTemp(managedFiles()), when + ": after the next apply");
        }
        // not an assertion on timing, a check that the kills did land before some applies finished
        assertTrue(changedOnNext > 0, "no kill interrupted an apply before it finished (seed " + seed + ")");
        System.out.printf("%d kills (seed %d, apply %d ms, first step at %d ms): %d left work for the next apply, %d of them with some files "
                + "already new and others still old%n", KILLS, seed, window, from, changedOnNext, midway);
    }

    private static Map<Path, String> withoutTemp(Map<Path, String> files) {
        Map<Path, String> out = new TreeMap<>(files);
        out.keySet().removeIf(p -> p.getFileName().toString().startsWith("."));
        return out;
    }

    @Test
    @DisplayName("20 concurrent applies: all succeed, one changes the host, nothing is lost, the result equals a single apply")
    void concurrentApplies() throws Exception {
        host.writeManifest(manifest('A'));
        applyInProcess();
        Path first = authorizedKeysFiles().get(0);
        String foreign = "# added by hand, outside the managed block\n";
        Files.writeString(first, Files.readString(first) + foreign);
        host.writeManifest(manifest('B'));

        List<Process> applies = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        List<String> args = new ArrayList<>(List.of("apply"));
        args.addAll(host.options());
        args.add("--no-reload");
        for (int i = 0; i < CONCURRENT; i++) {
            Path log = host.root().resolve("concurrent-" + i + ".log");
            logs.add(log);
            applies.add(DelegatorCli.start(args, log));
        }
        int changed = 0;
        for (int i = 0; i < CONCURRENT; i++) {
            assertTrue(applies.get(i).waitFor(5, TimeUnit.MINUTES), "apply " + i + " did not end");
            String out = Files.readString(logs.get(i));
            assertEquals(0, applies.get(i).exitValue(), out);
            if (out.contains("applied ")) {
                changed++;
                assertTrue(!out.contains("still pending"), out);
            } else {
                assertTrue(out.contains("no changes: this host already matches the manifest"), out);
            }
        }
        assertEquals(1, changed, "exactly one apply found work; the others waited for its lock and found none");
        Map<Path, String> expected = new TreeMap<>(filesB);
        expected.put(first, filesB.get(first) + foreign);
        assertEquals(expected, withoutTemp(managedFiles()));
        assertTrue(applyInProcess().executed().isEmpty(), "a single apply more changes nothing");
    }
}
