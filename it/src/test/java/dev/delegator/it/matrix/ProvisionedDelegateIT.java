package dev.delegator.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.ssh.Ssh;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The security matrix through the whole product: a delegation made by the real
 * {@code delegator apply} (account, key, the rendered line, the dispatcher config, the installed
 * dispatcher as forced command, the sshd drop-in) behind a private OpenSSH sshd, attacked with
 * OpenSSH's own client and the caller's key. Each case of SECURITY.md's "Cases the tests must
 * cover" that involves provisioning or the dispatcher is one named test here.
 *
 * <p>The dispatcher's rejections are covered in depth, including the log lines, by
 * {@code deploy-scripts/src/test/bats/dispatch.bats}; here a representative set goes through
 * real sshd and apply's own forced command.
 */
@DisplayName("security matrix: a delegation provisioned by apply, behind real sshd and the real dispatcher")
class ProvisionedDelegateIT {
    private static Provisioner host;
    private static TestUser ci;
    private static String delegation;
    private static String delegate;
    private static Path verb;
    private static Path knownHosts;
    private static boolean manifestChanged;

    @BeforeAll
    static void provision() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser", "sshd", "ssh", "sftp");
        DelegatorCli.jar();
        host = Provisioner.start("matrix");
        ci = host.host().users().create("ci", host.dir("home"));
        String r = Provisioner.random();
        delegation = "m-" + r;
        delegate = host.delegate("dlg-m-" + r);
        verb = host.dir("bin").resolve("deploy");
        Files.writeString(verb, "#!/bin/sh\necho \"deploy $*\"\necho \"$*\" >> \"$HOME/ran\"\n");
        Files.setPosixFilePermissions(verb, PosixFilePermissions.fromString("rwxr-xr-x"));
        host.apply(manifest("", ""));
        knownHosts = host.host().sshd().writeKnownHosts(host.root().resolve("known_hosts"));
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    /** Tests that change the manifest put the base one back, so every test starts from the same host. */
    @AfterEach
    void restore() {
        if (manifestChanged) {
            host.apply(manifest("", ""));
            manifestChanged = false;
        }
    }

    private static String manifest(String delegationExtra, String moreDelegations) {
        return "version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + ci.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + home() + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: " + verb + ", args: ['[a-z0-9._-]+']}\n"
                + delegationExtra
                + moreDelegations;
    }

    private static Path home() {
        return host.root().resolve("home").resolve(delegate);
    }

    private static Path authorizedKeys() {
        return host.layout().authorizedKeys(delegate);
    }

    private static Ssh ssh() {
        return Ssh.to("127.0.0.1", host.host().sshd().port(), delegate, host.layout().callerKey(ci.name(), delegation), knownHosts);
    }

    private static long ran() throws IOException {
        Path f = home().resolve("ran");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    private static void assertDenied(CommandResult r) {
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("Permission denied (publickey)"), r::toString);
    }

    @Test
    @DisplayName("a fresh account made by apply is usable (password '*', not locked), has /bin/sh, and runs the allowed request")
    void freshAccountUsable() throws IOException {
        String shadow = ExternalCommand.check("getent", "shadow", delegate).trim();
        assertEquals("*", shadow.split(":", -1)[1], shadow);
        String passwd = ExternalCommand.check("getent", "passwd", delegate).trim();
        assertEquals("/bin/sh", passwd.split(":", -1)[6], passwd);
        long before = ran();
        CommandResult r = ssh().run("deploy site-1.0");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("deploy site-1.0\n", r.stdout());
        assertEquals(before + 1, ran());
    }

    static Stream<Arguments> injections() {
        return Stream.of(
                Arguments.of("semicolon", "deploy a;id"),
                Arguments.of("and-and", "deploy a&&id"),
                Arguments.of("pipe", "deploy a|id"),
                Arguments.of("command substitution", "deploy $(id)"),
                Arguments.of("backticks", "deploy `id`"),
                Arguments.of("output redirection", "deploy a>x"),
                Arguments.of("input redirection", "deploy a<x"),
                Arguments.of("glob", "deploy *"),
                Arguments.of("newline", "deploy a\nid"),
                Arguments.of("carriage return", "deploy a\rid"),
                Arguments.of("argument starting with -", "deploy -rf"),
                Arguments.of("dot-dot path", "deploy .."),
                Arguments.of("absolute path", "deploy /etc/passwd"),
                Arguments.of("unknown verb", "id"),
                Arguments.of("extra argument", "deploy a b"));
    }

    @ParameterizedTest(name = "dispatcher: {0} in the request is rejected (126) and nothing runs")
    @MethodSource("injections")
    @DisplayName("dispatcher rejections")
    void dispatcherRejects(String what, String request) throws IOException {
        long before = ran();
        CommandResult r = ssh().run(request);
        assertEquals(126, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("delegator: request rejected: "), r::toString);
        assertFalse(r.stdout().contains("uid="), r::toString);
        assertEquals(before, ran(), "nothing ran");
    }

    @Test
    @DisplayName("dispatcher: a shell request (no command) is rejected and nothing runs")
    void shellRequestRejected() throws IOException {
        long before = ran();
        CommandResult r = ssh().run(null);
        assertEquals(126, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("a command is required (shell requested)"), r::toString);
        assertEquals(before, ran());
    }

    @Test
    @DisplayName("dispatcher: an sftp subsystem request (ssh -s sftp) is rejected with 126 and nothing comes back")
    void sftpRejected() {
        List<String> argv = new java.util.ArrayList<>(ssh().argv(null));
        // ssh -s sftp: the subsystem request sftp makes
        argv.add(argv.size() - 1, "-s");
        argv.add("sftp");
        CommandResult r = ExternalCommand.run(argv, Map.of(), new byte[0], java.time.Duration.ofSeconds(60));
        // the dispatcher's reason goes to the channel's stderr, which ssh -s does not show; the status is its
        assertEquals(126, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), r::toString);
    }

    @Test
    @DisplayName("restrict with the real dispatcher: a direct-tcpip forward (ssh -W) is refused")
    void forwardRefused() {
        CommandResult r = ssh().with("-W", "127.0.0.1:" + host.host().sshd().port()).run(null);
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("administratively prohibited"), r::toString);
    }

    @Test
    @DisplayName("restrict with the real dispatcher: a remote forward (-R) is refused, and the verb still runs without it")
    void remoteForwardRefused() {
        CommandResult refused = ssh().with("-R", "0:127.0.0.1:22", "-o", "ExitOnForwardFailure=yes").run("deploy a");
        assertEquals(255, refused.exitCode(), refused::toString);
        assertTrue(refused.stderr().contains("remote port forwarding failed"), refused::toString);
        CommandResult runs = ssh().with("-R", "0:127.0.0.1:22").run("deploy a");
        assertEquals(0, runs.exitCode(), runs::toString);
        assertEquals("deploy a\n", runs.stdout());
    }

    @Test
    @DisplayName("restrict with the real dispatcher: a pty (-tt) is refused; ssh gives up before the request (RestrictIT shows the "
            + "forced command running without a pty from a terminal)")
    void ptyRefused() throws IOException {
        long before = ran();
        CommandResult r = ssh().with("-tt").run("deploy a");
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("PTY allocation request failed"), r::toString);
        assertEquals(before, ran());
    }

    @Test
    @DisplayName("the delegate cannot modify, rename, replace or remove the authorized_keys file apply wrote for it")
    void delegateCannotTouchItsFile() throws IOException {
        String before = Files.readString(authorizedKeys());
        String f = authorizedKeys().toString();
        for (String script : List.of("echo x >> '" + f + "'", "mv '" + f + "' '" + f + ".old'", "ln -sf /dev/null '" + f + "'",
                "rm -f '" + f + "'", "cp /dev/null '" + f + ".new' && mv '" + f + ".new' '" + f + "'", "chmod 0666 '" + f + "'")) {
            CommandResult r = ExternalCommand.run("runuser", "-u", delegate, "--", "sh", "-c", script);
            assertNotEquals(0, r.exitCode(), () -> script + ": " + r);
        }
        assertEquals(before, Files.readString(authorizedKeys()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(authorizedKeys())));
        assertEquals("root", Files.getOwner(authorizedKeys()).getName());
    }

    @Test
    @DisplayName("from= an exact address: allowed from it, denied from 127.0.0.2")
    void fromExactAddress() {
        manifestChanged = true;
        host.apply(manifest("    from: ['127.0.0.1']\n", ""));
        assertTrue(Files.exists(authorizedKeys()));
        assertEquals(0, ssh().run("deploy a").exitCode());
        assertDenied(ssh().with("-b", "127.0.0.2").run("deploy a"));
    }

    @Test
    @DisplayName("from= a CIDR: allowed from any address in it (127.0.0.2 in 127.0.0.0/8)")
    void fromCidr() throws IOException {
        manifestChanged = true;
        host.apply(manifest("    from: ['127.0.0.0/8']\n", ""));
        assertTrue(Files.readString(authorizedKeys()).contains("from=\"127.0.0.0/8\""));
        CommandResult r = ssh().with("-b", "127.0.0.2").run("deploy a");
        assertEquals(0, r.exitCode(), r::toString);
    }

    static Stream<Arguments> badFrom() {
        return Stream.of(
                Arguments.of("a bad mask (host bits set)", "['10.0.0.1/8']"),
                Arguments.of("a mask out of range", "['127.0.0.0/33']"),
                Arguments.of("an empty entry", "['127.0.0.1', '']"),
                Arguments.of("a host name", "['build1.example.org']"));
    }

    @ParameterizedTest(name = "from= with {0} is refused at write time (exit 3, file:line:column), nothing is written")
    @MethodSource("badFrom")
    @DisplayName("bad from= refused at write time")
    void badFromRefused(String what, String from) throws IOException {
        String before = Files.readString(authorizedKeys());
        manifestChanged = true;
        host.writeManifest(manifest("    from: " + from + "\n", ""));
        CommandResult r = host.run("apply");
        assertEquals(3, r.exitCode(), r::toString);
        assertTrue(Pattern.compile(Pattern.quote(host.layout().manifest().toString()) + ":9:\\d+: delegations\\." + delegation
                + "\\.from\\[\\d\\]: ").matcher(r.stderr()).find(), r::toString);
        assertEquals(before, Files.readString(authorizedKeys()), "nothing was written");
    }

    @Test
    @DisplayName("the same key twice in the file sshd reads (a hand-added unrestricted copy): apply refuses to write (exit 5), lint reports it")
    void sameKeyTwiceFailsClosed() throws IOException {
        String pub = Files.readString(Path.of(host.layout().callerKey(ci.name(), delegation) + ".pub")).trim();
        String before = Files.readString(authorizedKeys());
        String withCopy = before + pub + "\n";
        Files.writeString(authorizedKeys(), withCopy);
        try {
            manifestChanged = true;
            host.writeManifest(manifest("    from: ['127.0.0.1']\n", ""));
            CommandResult r = host.run("apply");
            assertEquals(5, r.exitCode(), r::toString);
            assertTrue(r.stderr().toLowerCase(java.util.Locale.ROOT).contains("twice")
                    || r.stderr().toLowerCase(java.util.Locale.ROOT).contains("duplicate"), r::toString);
            assertEquals(withCopy, Files.readString(authorizedKeys()), "apply wrote nothing");
            CommandResult lint = DelegatorCli.run("authorized-keys", "lint", authorizedKeys().toString());
            assertEquals(1, lint.exitCode(), lint::toString);
            assertTrue(lint.stdout().contains("duplicate of line"), lint::toString);
        } finally {
            Files.writeString(authorizedKeys(), before);
        }
    }

    @Test
    @DisplayName("an expiry in the past denies the login (expires: 1s, applied, then waited out); list says expired")
    void pastExpiryDenies() throws Exception {
        manifestChanged = true;
        host.apply(manifest("    expires: 1s\n", ""));
        assertTrue(Files.readString(authorizedKeys()).contains("expiry-time=\""), "apply wrote the expiry");
        Thread.sleep(2_100);
        assertDenied(ssh().run("deploy a"));
        CommandResult list = host.run("list");
        assertTrue(list.stdout().contains("expired"), list::toString);
    }

    @Test
    @DisplayName("group/world-writable and foreign-owned authorized_keys files and directories are reported (lint and list), and apply repairs them")
    void unsafeFilesReported() throws IOException {
        Path file = authorizedKeys();
        Path dir = file.getParent();
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            CommandResult lint = DelegatorCli.run("authorized-keys", "lint", file.toString());
            assertEquals(1, lint.exitCode(), lint::toString);
            assertTrue(lint.stdout().contains(file + ": ") && lint.stdout().contains("writable"), lint::toString);

            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            ExternalCommand.check("chown", ci.name(), file.toString());
            lint = DelegatorCli.run("authorized-keys", "lint", "--user", delegate, file.toString());
            assertEquals(1, lint.exitCode(), lint::toString);
            assertTrue(lint.stdout().contains(ci.name()), lint::toString);

            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            lint = DelegatorCli.run("authorized-keys", "lint", file.toString());
            assertEquals(1, lint.exitCode(), lint::toString);
            assertTrue(lint.stdout().contains(dir.toString()), lint::toString);

            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            CommandResult plan = host.run("plan", "--detailed-exitcode");
            assertEquals(4, plan.exitCode(), () -> "plan sees the foreign owner as drift: " + plan);
            host.command("apply");
            assertEquals("root", Files.getOwner(file).getName(), "apply repaired the owner");
            assertEquals(0, ssh().run("deploy a").exitCode());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            ExternalCommand.check("chown", "root:root", file.toString());
        }
    }

    @Test
    @DisplayName("revoke: the next login with the old key is denied; apply brings the delegation back")
    void revokeDenies() {
        assertEquals(0, ssh().run("deploy a").exitCode());
        manifestChanged = true;
        CommandResult revoked = host.command("revoke", delegation);
        assertTrue(revoked.exitCode() == 0, revoked::toString);
        // revoke removes the caller key too: try with a copy kept before, as a leaked key would be
        assertDenied(leakedKeySsh().run("deploy a"));
    }

    @Test
    @DisplayName("removing a delegation from the manifest and applying denies the next login with its key")
    void removedFromManifestDenies() throws IOException {
        String second = "m2-" + delegation.substring(2);
        String secondDelegate = host.delegate("dlg-" + second);
        manifestChanged = true;
        host.apply(manifest("", "  " + second + ":\n"
                + "    caller: {user: " + ci.name() + "}\n"
                + "    delegate: {user: " + secondDelegate + ", home: " + host.root().resolve("home").resolve(secondDelegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: " + verb + ", args: ['[a-z0-9._-]+']}\n"));
        Path kept = host.root().resolve("kept_" + second);
        Files.copy(host.layout().callerKey(ci.name(), second), kept);
        Ssh secondSsh = Ssh.to("127.0.0.1", host.host().sshd().port(), secondDelegate, kept, knownHosts);
        CommandResult works = secondSsh.run("deploy a");
        assertEquals(0, works.exitCode(), works::toString);

        host.apply(manifest("", ""));

        assertDenied(secondSsh.run("deploy a"));
        assertFalse(Files.exists(host.layout().callerKey(ci.name(), second)), "apply removed the caller key");
        assertEquals(0, ssh().run("deploy a").exitCode(), "the other delegation is untouched");
    }

    private static Path leakedKey;

    @BeforeAll
    static void keepCopyOfKey() throws IOException {
        leakedKey = host.root().resolve("leaked_id_ed25519");
        Files.copy(host.layout().callerKey(ci.name(), delegation), leakedKey);
        Files.setPosixFilePermissions(leakedKey, PosixFilePermissions.fromString("rw-------"));
    }

    private static Ssh leakedKeySsh() {
        return Ssh.to("127.0.0.1", host.host().sshd().port(), delegate, leakedKey, knownHosts);
    }
}
