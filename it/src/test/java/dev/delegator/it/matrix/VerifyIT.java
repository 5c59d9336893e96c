package dev.delegator.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code delegator verify} on a delegation applied as documented (the real apply, dispatcher and
 * drop-in behind a private sshd): every check holds. Then each test weakens the host by hand the
 * way a mistake would, sees verify catch it with a ✗ line and exit 1, and applies again (which
 * repairs the host) for the next.
 */
@DisplayName("delegator verify: proves a delegation on a live host, and catches each mistake")
class VerifyIT {
    private static final String DROP_IN = "50-delegator.conf";

    private static Provisioner host;
    private static TestUser ci;
    private static String delegation;
    private static String delegate;
    private static String manifest;

    @BeforeAll
    static void provision() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "setpriv", "xauth");
        DelegatorCli.jar();
        host = Provisioner.start("verify");
        ci = host.host().users().create("ci", host.dir("home"));
        String r = Provisioner.random();
        delegation = "v-" + r;
        delegate = host.delegate("dlg-v-" + r);
        Path verb = host.dir("bin").resolve("deploy");
        Files.writeString(verb, "#!/bin/sh\necho \"deploy $*\"\necho \"$*\" >> \"$HOME/ran\"\n");
        Files.setPosixFilePermissions(verb, PosixFilePermissions.fromString("rwxr-xr-x"));
        manifest = "version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + ci.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + home() + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: " + verb + ", args: ['[a-z0-9._-]+']}\n";
        host.apply(manifest);
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    /** apply repairs every weakening below (line, modes, owners, drop-in); extra files go by hand. */
    @AfterEach
    void repair() throws IOException {
        Files.deleteIfExists(host.host().dropInDir().resolve("40-accept-env.conf"));
        ExternalCommand.run("rm", "-rf", home().resolve(".ssh").toString());
        host.apply(manifest);
        host.host().reloadSshd();
    }

    private static Path home() {
        return host.root().resolve("home").resolve(delegate);
    }

    private static CommandResult verify(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("verify"));
        args.addAll(host.options());
        args.addAll(List.of(extra));
        return DelegatorCli.run(args, java.util.Map.of());
    }

    private static Path central() {
        return host.layout().authorizedKeys(delegate);
    }

    private static String dropIn() throws IOException {
        return Files.readString(host.host().dropInDir().resolve(DROP_IN));
    }

    @Test
    @DisplayName("applied as documented: every check is a ✓ and verify exits 0; --json is one line per delegation")
    void appliedAsDocumented() {
        CommandResult r = verify(delegation);
        assertEquals(0, r.exitCode(), r::toString);
        String port = Integer.toString(host.host().sshd().port());
        for (String line : List.of(
                "  ✓ a shell request (ssh with no command): sshd ran the forced command, which rejected it (exit 126: delegator: request rejected: a command is required (shell requested))",
                "  ✓ a command that is no declared verb ('delegator-verify-no-such-verb'): sshd ran the forced command, which rejected it (exit 126: delegator: request rejected: unknown verb)",
                "  ✓ a declared verb with a bad argument ('deploy -delegator-verify'): sshd ran the forced command, which rejected it (exit 126: delegator: request rejected: argument 1 starts with '-')",
                "  ✓ a pty request (ssh -t): refused by sshd (channel request failure)",
                "  ✓ a direct-tcpip channel to 127.0.0.1:" + port + " (ssh -L, -W): refused by sshd (administratively prohibited",
                "  ✓ a tcpip-forward request for 127.0.0.1 (ssh -R): refused by sshd (request failure)",
                "  ✓ agent forwarding (ssh -A): refused by sshd (channel request failure)",
                "  ✓ X11 forwarding (ssh -X): refused by sshd (channel request failure)",
                "  ✓ an env request (LD_PRELOAD=/nonexistent/delegator-verify.so): refused by sshd (channel request failure)",
                "  ✓ the sftp subsystem: sshd ran the forced command, which rejected it (exit 126)",
                "  ✓ the line for " + delegation + " in " + central() + " is the one apply writes",
                "  ✓ " + central() + " and its directories are root-owned and not writable by " + delegate,
                "  ✓ the drop-in is in effect for " + delegate + " (sshd -T -C user=" + delegate + ",host=localhost,addr=127.0.0.1: authorizedkeysfile ",
                "  ✓ " + delegate + " cannot write what authorizes its keys (sshd reads " + central() + ")",
                "  ✓ the dispatcher config " + host.layout().dispatchConf(delegation) + " is the one apply writes, root-owned, not writable by " + delegate,
                delegation + ": verified (15 checks, nothing granted)")) {
            assertTrue(r.stdout().contains(line), () -> "missing: " + line + "\n" + r);
        }
        assertFalse(r.stdout().contains("✗"), r::toString);
        assertFalse(home().resolve("ran").toFile().exists(), "verify ran the real verb");

        CommandResult json = verify("--json", delegation);
        assertEquals(0, json.exitCode(), json::toString);
        assertEquals(1, json.stdout().lines().count(), json::toString);
        assertTrue(json.stdout().startsWith("{\"delegation\":\"" + delegation + "\",\"verified\":true,"), json::toString);
        assertTrue(json.stdout().contains("{\"id\":\"env\",\"result\":\"refused\",\"tried\":\"an env request"), json::toString);
        assertTrue(json.stdout().contains("{\"id\":\"drop-in\",\"result\":\"ok\","), json::toString);

        CommandResult all = verify("--all");
        assertEquals(0, all.exitCode(), all::toString);
        assertTrue(all.stdout().contains(delegation + ": verified (15 checks, nothing granted)"), all::toString);
    }

    @Test
    @DisplayName("the line without restrict, and a drop-in that only names the key file: pty, forwarding, agent and X11 are ✗")
    void lineWithoutRestrict() throws IOException {
        Files.writeString(central(), Files.readString(central()).replace("restrict,", ""));
        host.host().writeDropIn(DROP_IN, "Match Group delegator\n    AuthorizedKeysFile " + host.layout().authorizedKeysDir() + "/%u\n");
        host.host().reloadSshd();
        CommandResult r = verify(delegation);
        assertEquals(1, r.exitCode(), r::toString);
        for (String line : List.of(
                "  ✗ a pty request (ssh -t): granted by sshd (channel request success)",
                "  ✗ a direct-tcpip channel to 127.0.0.1:" + host.host().sshd().port() + " (ssh -L, -W): sshd opened the tunnel",
                "  ✗ a tcpip-forward request for 127.0.0.1 (ssh -R): granted: sshd listened on 127.0.0.1:",
                "  ✗ agent forwarding (ssh -A): granted by sshd (channel request success)",
                "  ✗ X11 forwarding (ssh -X): granted by sshd (channel request success)",
                "  ✗ the line for " + delegation + " in " + central() + " is not the one apply writes: ~ line for " + delegation,
                "  ✗ the drop-in is not in effect: sshd -T -C user=" + delegate,
                delegation + ": NOT VERIFIED: 7 of 15 checks failed")) {
            assertTrue(r.stdout().contains(line), () -> "missing: " + line + "\n" + r);
        }
        // the forced command still holds: the dispatcher rejects what is no valid request
        assertTrue(r.stdout().contains("  ✓ a shell request (ssh with no command): sshd ran the forced command"), r::toString);
    }

    @Test
    @DisplayName("AllowTcpForwarding yes and no DisableForwarding for the delegate: the host view's drop-in check is ✗")
    void forwardingAllowed() throws IOException {
        host.host().writeDropIn(DROP_IN, dropIn().replace("DisableForwarding yes", "AllowTcpForwarding yes"));
        host.host().reloadSshd();
        CommandResult r = verify(delegation);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("  ✗ the drop-in is not in effect: sshd -T -C user=" + delegate
                + " shows disableforwarding no, want yes"), r::toString);
        // restrict on the line still refuses the forward itself: the host view is what sees the weaker layer
        assertTrue(r.stdout().contains("  ✓ a direct-tcpip channel to 127.0.0.1:"), r::toString);
        assertTrue(r.stdout().contains(delegation + ": NOT VERIFIED: 1 of 15 checks failed"), r::toString);
    }

    @Test
    @DisplayName("an unrestricted copy of the key in the delegate's own ~/.ssh/authorized_keys, read first: the shell runs, ✗")
    void copyInTheDelegatesOwnAuthorizedKeys() throws IOException {
        Path ssh = home().resolve(".ssh");
        Files.createDirectories(ssh);
        String pub = Files.readString(Path.of(host.layout().callerKey(ci.name(), delegation) + ".pub"));
        Files.writeString(ssh.resolve("authorized_keys"), pub);
        ExternalCommand.check("chown", "-R", delegate + ":", ssh.toString());
        ExternalCommand.check("chmod", "700", ssh.toString());
        ExternalCommand.check("chmod", "600", ssh.resolve("authorized_keys").toString());
        host.host().writeDropIn(DROP_IN, dropIn().replace("AuthorizedKeysFile ", "AuthorizedKeysFile .ssh/authorized_keys "));
        host.host().reloadSshd();
        CommandResult r = verify(delegation);
        assertEquals(1, r.exitCode(), r::toString);
        for (String line : List.of(
                "  ✗ a shell request (ssh with no command): it ran: exit 0, want the dispatcher's 126",
                "  ✗ the sftp subsystem: an sftp server answered (SSH_FXP_VERSION)",
                "  ✗ " + delegate + " can change what authorizes its keys: " + delegate + " can write " + ssh.resolve("authorized_keys"),
                "  ✗ the drop-in is not in effect: sshd -T -C user=" + delegate + " shows authorizedkeysfile .ssh/authorized_keys ")) {
            assertTrue(r.stdout().contains(line), () -> "missing: " + line + "\n" + r);
        }
    }

    @Test
    @DisplayName("a central authorized_keys writable by the delegate's group: only the host view sees it (sshd still takes the key), ✗")
    void groupWritableCentralFile() {
        ExternalCommand.check("chgrp", delegate, central().toString());
        ExternalCommand.check("chmod", "664", central().toString());
        CommandResult r = verify(delegation);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("  ✗ " + central() + " can be changed by others than root: " + central()
                + " is mode 0664 (group " + delegate + "-writable); " + delegate + " can write " + central()), r::toString);
        assertTrue(r.stdout().contains("  ✗ " + delegate + " can change what authorizes its keys: " + delegate + " can write " + central()),
                r::toString);
        // the line itself is still apply's, and sshd (StrictModes yes) still accepts the file: the probes all hold
        assertTrue(r.stdout().contains("  ✓ the line for " + delegation + " in " + central() + " is the one apply writes"), r::toString);
        assertTrue(r.stdout().contains("  ✓ a pty request (ssh -t): refused by sshd"), r::toString);
        assertTrue(r.stdout().contains(delegation + ": NOT VERIFIED: 2 of 15 checks failed"), r::toString);
    }

    @Test
    @DisplayName("a dispatcher config owned by the delegate: the host view is ✗")
    void dispatcherConfigOwnedByTheDelegate() {
        Path conf = host.layout().dispatchConf(delegation);
        ExternalCommand.check("chown", delegate, conf.toString());
        CommandResult r = verify(delegation);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("  ✗ the dispatcher config " + conf + ": ~ " + conf + " (owner " + delegate), r::toString);
        assertTrue(r.stdout().contains(conf + " is owned by " + delegate + "; " + delegate + " can write " + conf), r::toString);
    }

    @Test
    @DisplayName("AcceptEnv * for the delegate: the env request (LD_PRELOAD) is accepted, ✗")
    void acceptEnvEverything() throws IOException {
        // without the drop-in's own AcceptEnv override, if this build's drop-in has one
        host.host().writeDropIn(DROP_IN, dropIn().lines().filter(l -> !l.strip().startsWith("AcceptEnv"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
        host.host().writeDropIn("40-accept-env.conf", "AcceptEnv *\n");
        host.host().reloadSshd();
        CommandResult r = verify(delegation);
        assertEquals(1, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("  ✗ an env request (LD_PRELOAD=/nonexistent/delegator-verify.so): granted by sshd (channel request success)"),
                r::toString);
    }

    @Test
    @DisplayName("explicit form (CI): probes only, exit 0; a changed host key is 255 as for run")
    void explicitFormAndAChangedHostKey() throws IOException {
        Path key = host.layout().callerKey(ci.name(), delegation);
        Path pinned = host.host().sshd().writeKnownHosts(host.root().resolve("pinned_known_hosts"));
        String target = "127.0.0.1:" + host.host().sshd().port();
        CommandResult ok = DelegatorCli.run("verify", "--host", target, "--user", delegate, "--identity", key.toString(),
                "--known-hosts", pinned.toString(), "--verb", "deploy");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.stdout().contains("-: - host view not checked: explicit form: no manifest"), ok::toString);
        assertTrue(ok.stdout().contains("-: verified (10 checks, nothing granted)"), ok::toString);

        Path other = host.root().resolve("other_host_key");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString());
        Path changed = host.root().resolve("changed_known_hosts");
        Files.writeString(changed, "[127.0.0.1]:" + host.host().sshd().port() + " " + Files.readString(Path.of(other + ".pub")));
        CommandResult bad = DelegatorCli.run("verify", "--host", target, "--user", delegate, "--identity", key.toString(),
                "--known-hosts", changed.toString(), "--verb", "deploy");
        assertEquals(255, bad.exitCode(), bad::toString);
        assertTrue(bad.stdout().contains("  ✗ cannot connect: HOST KEY CHANGED for " + target), bad::toString);
        assertTrue(bad.stdout().contains("-: NOT VERIFIED: 1 host could not be reached or verified"), bad::toString);
    }
}
