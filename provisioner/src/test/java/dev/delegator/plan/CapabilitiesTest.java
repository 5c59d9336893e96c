package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.manifest.Manifest;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Capabilities per verb end to end on this host: a delegation made by the real apply (account,
 * key, dispatcher config, installed dispatcher, sshd drop-in, and the sudoers rule), requested with
 * OpenSSH's client through a private sshd, so the dispatcher runs as the delegate and takes the
 * privileged step through the real sudo. The layout lives under a test root, where the host's sudo
 * does not look: the test adds one file to the real {@code /etc/sudoers.d} that {@code @include}s
 * exactly the file apply wrote (sudo checks it is root-owned and not writable by others), and
 * removes it afterwards.
 */
@DisplayName("capabilities: a verb granted dac_read_search through apply's sudoers rule, sshd and the dispatcher")
class CapabilitiesTest {
    private static final String ONLY_DAC_READ_SEARCH = "0000000000000004";
    private static final String NONE = "0000000000000000";

    ProvisionFixture fx;
    String name;
    String delegate;
    Path include;
    Path markers;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.requireCommand("sudo", "visudo", "runuser", "cc");
        fx = new ProvisionFixture();
        name = ProvisionFixture.randomName("t");
        delegate = fx.delegate();
        Path caps = fx.root.resolve("verbs").resolve("caps");
        Files.writeString(caps, """
                #!/bin/sh
                grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status | tr -d '\\t' | tr '\\n' ' '; echo
                sh -c "grep -E '^Cap(Inh|Prm|Eff|Bnd|Amb):' /proc/self/status" | tr -d '\\t' | tr '\\n' ' ' | sed 's/^/child /'; echo
                if head -n 1 /etc/shadow >/dev/null 2>&1; then echo "shadow: read"; else echo "shadow: refused"; fi
                if ( : >/etc/delegator-caps-test ) 2>/dev/null; then echo "etc: written"; else echo "etc: refused"; fi
                id -un
                """);
        Files.setPosixFilePermissions(caps, FileStatus.perms(0755));
        Path hang = fx.root.resolve("verbs").resolve("hang");
        Files.writeString(hang, "#!/bin/sh\nsleep 300 &\n: >\"$HOME/hang-started\"\nwait\n");
        Files.setPosixFilePermissions(hang, FileStatus.perms(0755));
        apply(fx.manifest(fx.delegation(name, delegate).replace("      hello:",
                "      backup: {run: " + caps + ", capabilities: [dac_read_search]}\n"
                        + "      plain: {run: " + caps + "}\n"
                        + "      hang: {run: " + hang + ", capabilities: [dac_read_search]}\n"
                        + "      hello:")));
        fx.awaitListening(2);
        include = Path.of("/etc/sudoers.d", ProvisionFixture.randomName("dlgtest-"));
        Files.writeString(include, "@include " + fx.layout().sudoersFile(name) + "\n");
        Files.setPosixFilePermissions(include, FileStatus.perms(0440));
        assertEquals(0, ExternalCommand.run("visudo", "-c").exitCode(), "the host's sudoers with the include");
        markers = fx.root.resolve("markers");
        Files.createDirectories(markers);
        ExternalCommand.check("chown", delegate, markers.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (include != null) {
            Files.deleteIfExists(include);
        }
        Files.deleteIfExists(Path.of("/etc/delegator-caps-test"));
        if (fx != null) {
            fx.close();
        }
    }

    private void apply(Manifest m) throws Exception {
        Applier.apply(m, fx.target(), new Applier.Options(true, Duration.ofMinutes(1), Progress.NONE));
    }

    /** Through sshd with the caller's key, stdin held open (EOF on it would cancel the work). */
    private CommandResult request(String verb) throws Exception {
        return ApplyTest.ssh(fx.client(name, delegate), verb);
    }

    private static String caps(String value) {
        return "CapInh:" + value + " CapPrm:" + value + " CapEff:" + value + " CapBnd:" + value + " CapAmb:" + value + " ";
    }

    /** The delegate calling the privileged step itself: {@code sudo -n ARGS} with {@code env} (and nothing from sshd). */
    private CommandResult sudoAsDelegate(Map<String, String> env, String... args) {
        List<String> argv = new ArrayList<>(List.of("runuser", "-u", delegate, "--", "env"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.add("/usr/bin/sudo");
        argv.add("-n");
        argv.addAll(Arrays.asList(args));
        return ExternalCommand.run(argv, Map.of(), null, Duration.ofMinutes(1));
    }

    private String[] grantCommand() {
        return fx.layout().grantCommand(name).split(" ");
    }

    @Test
    @DisplayName("apply writes the rule root 0440 and visudo accepts it; the verb has exactly dac_read_search, and so do its children")
    void theVerbHasExactlyItsCapability() throws Exception {
        Path rule = fx.layout().sudoersFile(name);
        assertEquals("0440", FileStatus.octal(FileStatus.of(rule).mode()));
        assertEquals("root", Files.getOwner(rule).getName());
        assertTrue(Files.readString(rule).endsWith(delegate + " ALL=(root) NOPASSWD: " + fx.layout().grantCommand(name) + "\n"));

        CommandResult r = request("backup");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(caps(ONLY_DAC_READ_SEARCH) + "\nchild " + caps(ONLY_DAC_READ_SEARCH) + "\nshadow: read\netc: refused\n" + delegate + "\n",
                r.stdout(), r::toString);
        assertFalse(Files.exists(Path.of("/etc/delegator-caps-test")));
    }

    @Test
    @DisplayName("the same script as a verb without the grant has no capability and cannot read /etc/shadow")
    void withoutTheGrantItIsDenied() throws Exception {
        CommandResult r = request("plain");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("CapInh:" + NONE + " CapPrm:" + NONE + " CapEff:" + NONE + " "), r::toString);
        assertTrue(r.stdout().endsWith("shadow: refused\netc: refused\n" + delegate + "\n"), r::toString);
    }

    @Test
    @DisplayName("the delegate calling the privileged step with another verb or a rejected request gets the dispatcher's refusal, nothing runs")
    void directCallWithAnotherVerb() {
        CommandResult plain = sudoAsDelegate(Map.of("SSH_ORIGINAL_COMMAND", "plain"), grantCommand());
        assertEquals(126, plain.exitCode(), plain::toString);
        assertEquals("delegator: request rejected: plain has no capabilities to grant\n", plain.stderr());
        CommandResult injected = sudoAsDelegate(Map.of("SSH_ORIGINAL_COMMAND", "backup;id"), grantCommand());
        assertEquals(126, injected.exitCode(), injected::toString);
        assertEquals("", injected.stdout());
        CommandResult none = sudoAsDelegate(Map.of(), grantCommand());
        assertEquals(126, none.exitCode(), none::toString);
        // the control: the valid request the rule exists for
        CommandResult backup = sudoAsDelegate(Map.of("SSH_ORIGINAL_COMMAND", "backup"), grantCommand());
        assertEquals(0, backup.exitCode(), backup::toString);
        assertTrue(backup.stdout().startsWith(caps(ONLY_DAC_READ_SEARCH)), backup::toString);
    }

    @Test
    @DisplayName("other arguments, another delegation, the dispatcher without --grant or another program: sudo refuses them")
    void directCallWithOtherArguments() {
        String dispatcher = fx.layout().dispatcher().toString();
        List<String[]> calls = List.of(
                new String[] {dispatcher, "--grant", "--conf-dir", markers.toString(), name},
                new String[] {dispatcher, "--grant", "--log-socket", "/dev/log", "--conf-dir", fx.layout().dispatchConfDir().toString(), name},
                new String[] {dispatcher, "--grant", "--conf-dir", fx.layout().dispatchConfDir().toString(), name, "extra"},
                new String[] {dispatcher, "--grant", "--conf-dir", fx.layout().dispatchConfDir().toString(), "other"},
                new String[] {dispatcher, "--conf-dir", fx.layout().dispatchConfDir().toString(), name},
                new String[] {"/bin/sh", "-c", "id"},
                new String[] {"-u", delegate, dispatcher, "--grant", "--conf-dir", fx.layout().dispatchConfDir().toString(), name});
        for (String[] call : calls) {
            CommandResult r = sudoAsDelegate(Map.of("SSH_ORIGINAL_COMMAND", "backup"), call);
            assertEquals(1, r.exitCode(), () -> String.join(" ", call) + ": " + r);
            assertEquals("", r.stdout(), () -> String.join(" ", call) + ": " + r);
            assertTrue(r.stderr().startsWith("sudo: a password is required") || r.stderr().startsWith("Sorry, user " + delegate + " is not allowed"),
                    () -> String.join(" ", call) + ": " + r);
        }
        // without sudo the privileged step is refused before it reads anything
        CommandResult direct = ExternalCommand.run(Stream.concat(Stream.of("runuser", "-u", delegate, "--", "env", "SSH_ORIGINAL_COMMAND=backup"),
                Arrays.stream(grantCommand())).toList(), Map.of(), null, Duration.ofMinutes(1));
        assertEquals(71, direct.exitCode(), direct::toString);
        assertEquals("delegator: sandbox: --grant runs only as root, through sudo (the sudoers rule apply writes)\n", direct.stderr());
    }

    @Test
    @DisplayName("a hostile environment (LD_PRELOAD, PATH, SUDO_UID, ENV, IFS) reaches neither the privileged step nor the work")
    void hostileEnvironment() throws Exception {
        Path lib = markers.resolve("evil.so");
        PreloadLibrary.build(fx.root.resolve("evil.c"), lib, markers);
        Path bin = Files.createDirectories(markers.resolve("bin"));
        for (String tool : List.of("sh", "env", "grep", "setpriv", "unshare", "timeout", "prlimit", "logger", "stat", "getent", "id", "head", "sudo")) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\n: >" + markers + "/path-" + tool + "\nexit 0\n");
            Files.setPosixFilePermissions(fake, FileStatus.perms(0755));
        }
        ExternalCommand.check("chown", "-R", delegate, markers.toString());
        // the controls: the library and the PATH do act on what the delegate runs
        ExternalCommand.run("runuser", "-u", delegate, "--", "env", "LD_PRELOAD=" + lib, "/bin/true");
        ExternalCommand.run("runuser", "-u", delegate, "--", "env", "PATH=" + bin, "grep");
        assertTrue(Files.exists(markers.resolve("path-grep")), "the fake PATH acts");
        try (Stream<Path> s = Files.list(markers)) {
            assertEquals(2, s.filter(p -> p.getFileName().toString().matches("ran-as-[0-9]+|path-grep")).count());
        }
        try (Stream<Path> s = Files.list(markers)) {
            for (Path p : s.filter(p -> p.getFileName().toString().matches("ran-as-.*|path-.*")).toList()) {
                Files.delete(p);
            }
        }

        CommandResult r = sudoAsDelegate(Map.of("SSH_ORIGINAL_COMMAND", "backup", "LD_PRELOAD", lib.toString(), "PATH", bin + ":/usr/bin:/bin",
                "SUDO_UID", "0", "ENV", markers + "/env.sh", "IFS", "/", "LC_ALL", "tr_TR.UTF-8", "BASH_ENV", markers + "/env.sh"), grantCommand());

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(caps(ONLY_DAC_READ_SEARCH) + "\nchild " + caps(ONLY_DAC_READ_SEARCH) + "\nshadow: read\netc: refused\n" + delegate + "\n",
                r.stdout(), r::toString);
        try (Stream<Path> s = Files.list(markers)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.matches("ran-as-.*|path-.*")).toList(),
                    "a hostile variable acted");
        }
    }

    @Test
    @DisplayName("without the sudoers rule in force the verb exits 71 naming it, and nothing runs; revoke removes the rule")
    void failsClosedAndRevokeRemoves() throws Exception {
        Files.delete(include);

        CommandResult r = request("backup");

        assertEquals(71, r.exitCode(), r::toString);
        assertEquals("", r.stdout(), r::toString);
        assertTrue(r.stderr().startsWith("delegator: sandbox: capabilities of backup need the sudoers rule apply writes ("), r::toString);

        Manifest m = fx.manifest(fx.delegation(name, delegate));
        Plan p = Revoker.plan(name, m.delegation(name), false, fx.target());
        assertTrue(p.changes().stream().anyMatch(c -> c.display().equals("- " + fx.layout().sudoersFile(name) + " (revoked)")),
                () -> p.changes().toString());
        Revoker.revoke(name, m.delegation(name), false, fx.target(), new Applier.Options(false, Duration.ofMinutes(1), Progress.NONE));
        assertFalse(Files.exists(fx.layout().sudoersFile(name)));
    }

    @Test
    @DisplayName("the caller going away ends the granted work and everything it started")
    void cancellationReachesTheGrantedWork() throws Exception {
        OpenSshClient c = fx.client(name, delegate);
        Process ssh = new ProcessBuilder(c.command(List.of(), "hang")).redirectErrorStream(true).start();
        Path started = fx.root.resolve("home").resolve(delegate).resolve("hang-started");
        for (int i = 0; i < 200 && !Files.exists(started); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(started), "the granted work started");
        assertEquals(0, ExternalCommand.run("pgrep", "-u", delegate, "-x", "sleep").exitCode(), "the work's sleep runs");

        ssh.destroyForcibly().waitFor();

        CommandResult left = ExternalCommand.run("pgrep", "-a", "-u", delegate);
        for (int i = 0; i < 200 && left.exitCode() == 0; i++) {
            Thread.sleep(50);
            left = ExternalCommand.run("pgrep", "-a", "-u", delegate);
        }
        assertEquals(1, left.exitCode(), "processes of the delegate left: " + left.stdout());
    }

    @Test
    @DisplayName("a manifest whose verbs lose their capabilities makes apply remove the rule")
    void applyRemovesAStaleRule() throws Exception {
        apply(fx.manifest(fx.delegation(name, delegate)));
        assertFalse(Files.exists(fx.layout().sudoersFile(name)));
    }
}
