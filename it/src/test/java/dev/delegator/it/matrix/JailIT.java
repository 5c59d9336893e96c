package dev.delegator.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.local.RunAs;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code sandbox: {filesystem: jail}} end to end: a delegation provisioned by the real
 * {@code delegator apply}, requested with the real {@code delegator run} as the caller through the
 * host's private OpenSSH sshd, so the work runs under the installed dispatcher and the config apply
 * wrote. Each verb script reports from inside the jail; the test checks the host from outside.
 */
@DisplayName("filesystem jail: a delegate provisioned by apply, through sshd and the dispatcher")
class JailIT {
    private static Provisioner host;
    private static TestUser caller;
    private static TestUser other;
    private static String delegation;
    private static String delegate;
    private static String fullDelegation;
    private static String fullDelegate;
    private static Path home;
    private static Path site;
    private static Path frozen;
    private static String mark;

    @BeforeAll
    static void provision() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser", "sshd", "ssh", "bwrap", "unshare", "setsid", "nohup");
        DelegatorCli.jar();
        host = Provisioner.start("jail");
        Path homes = host.dir("home");
        caller = host.host().users().create("jcall", homes);
        // another account's world-readable file under the real /home
        other = host.host().users().create("jother", Path.of("/home"));
        Files.setPosixFilePermissions(other.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path notes = Files.writeString(other.home().resolve("notes"), "secret\n");
        Files.setPosixFilePermissions(notes, PosixFilePermissions.fromString("rw-r--r--"));
        String r = Provisioner.random();
        delegation = "jail-" + r;
        delegate = host.delegate("dlg-jail-" + r);
        home = homes.resolve(delegate);
        fullDelegation = "full-" + r;
        fullDelegate = host.delegate("dlg-full-" + r);
        Path srv = host.dir("srv");
        site = srv.resolve("site");
        frozen = srv.resolve("frozen");
        Path source = host.dir("srv/source");
        Files.writeString(source.resolve("README"), "source file\n");
        mark = "jail-it-" + r;
        Path bin = host.dir("bin");
        script(bin.resolve("writes"), "for d in /tmp /var/tmp /etc " + other.home() + " / \"$HOME\" " + site + " " + frozen + "; do\n"
                + "    if ( : >\"$d/" + mark + "\" ) 2>/dev/null; then echo \"$d: written\"; else echo \"$d: refused\"; fi\n"
                + "done\n");
        script(bin.resolve("looks"), "for p in " + notes + " /var/lib/delegator " + host.root().resolve("var/lib/delegator") + " /root; do\n"
                + "    if [ -e \"$p\" ]; then echo \"$p: visible\"; else echo \"$p: absent\"; fi\n"
                + "done\n"
                + "cat \"$DELEGATOR_SOURCE/README\"\n");
        script(bin.resolve("nests"), "if unshare -Ur true; then echo created; else echo refused; fi\n");
        script(bin.resolve("escapes"), "setsid nohup sleep 300 </dev/null >/dev/null 2>&1 &\necho started\n");
        host.apply("version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + caller.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + home + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      writes: {run: " + bin.resolve("writes") + "}\n"
                + "      looks: {run: " + bin.resolve("looks") + "}\n"
                + "      nests: {run: " + bin.resolve("nests") + "}\n"
                + "      escapes: {run: " + bin.resolve("escapes") + "}\n"
                + "    resources:\n"
                + "      - {path: " + site + ", mode: '0750'}\n"
                + "      - {path: " + frozen + ", mode: '0750', readOnly: true}\n"
                + "    sandbox: {filesystem: jail}\n"
                + "    settings: {source: " + source + "}\n"
                + "  " + fullDelegation + ":\n"
                + "    caller: {user: " + caller.name() + "}\n"
                + "    delegate: {user: " + fullDelegate + ", home: " + homes.resolve(fullDelegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      escapes: {run: " + bin.resolve("escapes") + "}\n");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (mark != null) {
            Files.deleteIfExists(Path.of("/tmp", mark));
            Files.deleteIfExists(Path.of("/var/tmp", mark));
        }
        if (host != null) {
            host.close();
        }
    }

    private static CommandResult request(String verb) {
        return request(delegation, verb);
    }

    private static CommandResult request(String name, String verb) {
        List<String> argv = new ArrayList<>(DelegatorCli.argv(List.of("run", "--manifest", host.layout().manifest().toString(),
                "--root", host.root().toString(), "--no-audit", name)));
        argv.add(verb);
        return RunAs.run(caller, Map.of(), argv);
    }

    @Test
    @DisplayName("writes to the host's /tmp, /var/tmp, /etc, another home, / and a read-only resource fail; the home and the resource are written")
    void writes() throws IOException {
        CommandResult r = request("writes");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("/tmp: written\n/var/tmp: refused\n/etc: refused\n" + other.home() + ": refused\n/: refused\n"
                + home + ": written\n" + site + ": written\n" + frozen + ": refused\n", r.stdout(), r::toString);
        for (Path p : List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/etc"), other.home(), Path.of("/"), frozen)) {
            assertFalse(Files.exists(p.resolve(mark)), () -> p + " was written from inside the jail");
        }
        assertEquals(delegate, Files.getOwner(site.resolve(mark)).getName());
        assertEquals(delegate, Files.getOwner(home.resolve(mark)).getName());
        // the control: outside the jail the delegate owns the read-only resource and may write it
        assertEquals(delegate, Files.getOwner(frozen).getName());
    }

    @Test
    @DisplayName("another account's 0644 file under /home, /var/lib/delegator (the host's and the layout's) and /root are invisible; the source is readable")
    void looks() {
        assertEquals("secret\n", ExternalCommand.run("runuser", "-u", delegate, "--", "cat", other.home().resolve("notes").toString()).stdout(),
                "the control: outside the jail the delegate reads the file");

        CommandResult r = request("looks");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(other.home().resolve("notes") + ": absent\n/var/lib/delegator: absent\n" + host.root().resolve("var/lib/delegator")
                + ": absent\n/root: absent\nsource file\n", r.stdout(), r::toString);
        assertTrue(Files.isDirectory(host.root().resolve("var/lib/delegator")), "the layout's /var/lib/delegator exists on the host");
    }

    @Test
    @DisplayName("unshare -Ur inside the jail fails")
    void nests() {
        assertEquals(0, ExternalCommand.run("runuser", "-u", delegate, "--", "unshare", "-Ur", "true").exitCode(),
                "the control: outside the jail the delegate may create a user namespace");

        CommandResult r = request("nests");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("refused\n", r.stdout(), r::toString);
    }

    @Test
    @DisplayName("a process started with setsid and nohup is gone when the verb ends")
    void escapes() throws InterruptedException {
        CommandResult r = request("escapes");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("started\n", r.stdout(), r::toString);
        assertNothingLeft(delegate);
    }

    @Test
    @DisplayName("network full without a jail: a process started with setsid and nohup is gone when the verb ends too")
    void escapesWithNetworkFull() throws InterruptedException {
        CommandResult r = request(fullDelegation, "escapes");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("started\n", r.stdout(), r::toString);
        assertNothingLeft(fullDelegate);
    }

    private static void assertNothingLeft(String user) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L; // the kernel tears the namespace down at once; a safety net
        CommandResult left = ExternalCommand.run("pgrep", "-a", "-u", user);
        while (left.exitCode() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = ExternalCommand.run("pgrep", "-a", "-u", user);
        }
        assertEquals(1, left.exitCode(), "processes of the delegate left: " + left.stdout());
    }
}
