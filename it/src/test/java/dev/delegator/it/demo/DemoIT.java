package dev.delegator.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.CliJar;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code delegator demo} as a newcomer runs it: the built CLI jar in a child process, as root (and
 * as an ordinary account for the refusal and for --no-root), checked by its exit status, its key
 * lines, and by looking for anything it might have left behind: accounts, groups, directories,
 * processes.
 */
@DisplayName("delegator demo")
class DemoIT {
    private static final Pattern RUN_ID = Pattern.compile("\\(run ([0-9a-f]{6})\\)");

    private static Path jar;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh", "ssh-keygen", "hg", "useradd", "setpriv");
        jar = CliJar.require();
    }

    @Test
    @DisplayName("as root: the push deploys as the delegate, every proof is ticked, exit 0, and nothing is left behind")
    void fullDemo() throws Exception {
        Run r = demo(List.of());
        assertEquals(0, r.status, r.output);
        String id = runId(r.output);
        String delegate = "dlg-blog-" + id;
        String caller = "dlg-demo-hg-" + id;
        assertContainsLine(r.output, "| remote: deploy: running as " + delegate + " (uid ");
        assertContainsLine(r.output, "| remote: deploy: published /var/lib/delegator-demo/" + id + "/home/" + delegate + "/www/index.html");
        assertContainsLine(r.output, "✓ a command that is no declared verb ('delegator-verify-no-such-verb') with the caller's key is refused");
        assertContainsLine(r.output, "|   sshd ran the forced command, which rejected it (exit 126: delegator: request rejected: unknown verb)");
        assertContainsLine(r.output, "✓ a direct-tcpip channel to 127.0.0.1:");
        assertContainsLine(r.output, "|   refused by sshd (administratively prohibited: open failed)");
        for (String tried : List.of("a shell request (ssh with no command)", "a pty request (ssh -t)", "the sftp subsystem",
                "agent forwarding (ssh -A)", "an env request (LD_PRELOAD=")) {
            assertContainsLine(r.output, "✓ " + tried);
        }
        assertTrue(r.output.lines().noneMatch(l -> l.contains("✗")), r.output);
        assertContainsLine(r.output, "✓ a login from 127.0.0.2 (from=) with the caller's key is refused");
        assertContainsLine(r.output, "✓ the deploy ran as the delegate " + delegate + ", not as the caller " + caller
                + " (index.html is owned by " + delegate + ")");
        assertContainsLine(r.output, "Summary: the delegation works, and the key does nothing else");
        assertFalse(r.output.contains("✗"), r.output);
        assertFalse(r.output.contains("\u001b["), "no colour when stdout is not a terminal");
        assertGone(Path.of("/var/lib/delegator-demo", id), id);
    }

    @Test
    @DisplayName("--keep leaves the demo running and usable; --clean then removes all of it")
    void keepThenClean() throws Exception {
        try (TestRoot root = TestRoot.create("demo")) {
            Path base = root.resolve("demo");
            Run kept = demo(List.of("--keep", "--dir", base.toString()));
            assertEquals(0, kept.status, kept.output);
            String id = runId(kept.output);
            Path runDir = base.resolve(id);
            assertContainsLine(kept.output, "Kept (--keep): run " + id + " in " + runDir);
            assertContainsLine(kept.output, "clean up later: ./delegator demo --clean");
            assertEquals(0, command("getent", "passwd", "dlg-blog-" + id).status, "the delegate is kept");
            assertTrue(Files.isRegularFile(runDir.resolve("demo-state.properties")));
            assertFalse(processesNaming(runDir).isEmpty(), "sshd and hg serve keep running");
            assertTrue(Files.isRegularFile(runDir.resolve("home/dlg-blog-" + id + "/www/index.html")));

            Run clean = demo(List.of("--clean", "--dir", base.toString()));
            assertEquals(0, clean.status, clean.output);
            assertContainsLine(clean.output, "removing demo run " + id + " (" + runDir + ")");
            assertContainsLine(clean.output, "deleted account dlg-blog-" + id);
            assertGone(runDir, id);
            assertFalse(Files.exists(base), "the emptied base directory is removed too");

            Run again = demo(List.of("--clean", "--dir", base.toString()));
            assertEquals(0, again.status, again.output);
            assertContainsLine(again.output, "nothing to clean: no demo runs in " + base);
        }
    }

    @Test
    @DisplayName("not root: says what it needs and why, offers --no-root, exits 77; --no-root then works as that user")
    void withoutRoot() throws Exception {
        try (TestRoot root = TestRoot.create("demo-noroot"); TestUsers users = new TestUsers()) {
            Path homes = root.resolve("home");
            Files.createDirectories(homes);
            Files.setPosixFilePermissions(homes, PosixFilePermissions.fromString("rwxr-xr-x"));
            TestUser user = users.create("dnr", homes);
            // the account must be able to read the jar: the checkout may be below /root
            Path userJar = root.resolve("delegator.jar");
            Files.copy(jar, userJar, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(userJar, PosixFilePermissions.fromString("rw-r--r--"));

            Run refused = demoAs(user, userJar, List.of());
            assertEquals(77, refused.status, refused.output);
            assertTrue(refused.output.contains("the demo needs root: it installs openssh-server and mercurial"), refused.output);
            assertTrue(refused.output.contains("delegator demo --no-root"), refused.output);

            Run noRoot = demoAs(user, userJar, List.of("--no-root"));
            assertEquals(0, noRoot.status, noRoot.output);
            assertContainsLine(noRoot.output, "✓ the allowed request 'hello world' runs through the dispatcher");
            assertContainsLine(noRoot.output, "|   hello world, from " + user.name() + " via the dispatcher (verb hello, client 127.0.0.1)");
            assertContainsLine(noRoot.output, "✓ a command that is no declared verb ('delegator-verify-no-such-verb') with the key is refused");
            assertContainsLine(noRoot.output, "✓ a direct-tcpip channel to 127.0.0.1:");
            assertContainsLine(noRoot.output, "✓ a login from 127.0.0.2 (from=) with the key is refused");
            assertFalse(noRoot.output.contains("✗"), noRoot.output);
            try (Stream<Path> left = Files.list(user.home())) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".delegator-demo-")), "the throwaway dir is removed");
            }
            assertTrue(processesNaming(user.home()).isEmpty(), "the user's sshd is stopped");
        }
    }

    @Test
    @DisplayName("--no-root as root is a usage error (exit 2) that points to the full demo")
    void noRootAsRoot() throws Exception {
        Run r = demo(List.of("--no-root"));
        assertEquals(2, r.status, r.output);
        assertEquals("delegator: --no-root is for ordinary accounts (sshd then runs as that account and only it can log in); "
                + "as root, run the full demo: delegator demo", r.output.strip());
    }

    // ---- helpers

    private record Run(int status, String output) {}

    private static Run demo(List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "demo"));
        argv.addAll(args);
        return run(argv);
    }

    private static Run demoAs(TestUser user, Path userJar, List<String> args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + user.uid(), "--regid=" + user.gid(), "--init-groups",
                "env", "-i", "PATH=/usr/bin:/bin:/usr/sbin", "LANG=C.UTF-8", "HOME=" + user.home(), "USER=" + user.name(),
                java(), "-jar", userJar.toString(), "demo"));
        argv.addAll(args);
        return run(argv);
    }

    private static Run run(List<String> argv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("LANG", "C.UTF-8");
        pb.environment().remove("NO_COLOR");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the demo did not finish: " + new String(out, StandardCharsets.UTF_8));
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Run command(String... argv) throws Exception {
        return run(List.of(argv));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String runId(String output) {
        Matcher m = RUN_ID.matcher(output);
        assertTrue(m.find(), "the title names the run: " + output);
        return m.group(1);
    }

    private static void assertContainsLine(String output, String fragment) {
        assertTrue(output.lines().anyMatch(l -> l.contains(fragment)), "no line with: " + fragment + "\n--- output:\n" + output);
    }

    /** No account, group, directory or process of the run is left. */
    private static void assertGone(Path runDir, String id) throws Exception {
        for (String name : List.of("dlg-blog-" + id, "dlg-demo-hg-" + id)) {
            assertEquals(2, command("getent", "passwd", name).status, "account " + name + " is deleted");
            assertEquals(2, command("getent", "group", name).status, "group " + name + " is deleted");
        }
        assertFalse(Files.exists(runDir), runDir + " is removed");
        assertEquals(List.of(), processesNaming(runDir), "no sshd, hg serve or hook process of the run is left");
    }

    /** Command lines of running processes that name {@code dir}. */
    private static List<String> processesNaming(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs.filter(x -> x.getFileName().toString().matches("[0-9]+"))::iterator) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(dir.toString())) {
                        out.add(p.getFileName() + ": " + cmd.strip());
                    }
                } catch (IOException e) {
                    // the process ended meanwhile
                }
            }
        }
        return out;
    }
}
