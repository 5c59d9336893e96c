package dev.delegator.it.matrix;

import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.it.local.LocalHost;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.it.ssh.Ssh;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One delegate account behind a private OpenSSH sshd, set up the way delegator's central layout
 * does it, for the security matrix: a real account made by useradd (password {@code *}, /bin/sh),
 * an authorized_keys file owned by root (0644, in a root-owned 0755 directory outside the
 * delegate's home, named by {@code AuthorizedKeysFile}), and a stand-in forced command that
 * reports what the session got.
 *
 * <p>The sshd is a {@link LocalHost} (Debian 12's defaults) with two drop-ins: the central
 * AuthorizedKeysFile, and LogLevel DEBUG1 because some refusals (agent forwarding, pty) are only
 * logged there. There is no drop-in forbidding forwarding or ttys: every refusal these tests see
 * comes from the authorized_keys line alone, which is the promise under test (the drop-in's own
 * effect is tested separately, see DropInIT).
 *
 * <p>The restricted line comes from the product's renderer ({@link DelegationLine}); the forced
 * command stays a stand-in that reports what the session got (forwarding, agent, DISPLAY, tty),
 * which the real dispatcher would not show. The dispatcher behind real sshd is tested in
 * {@code ProvisionedDelegateIT} (apply's own line, config and dispatcher).
 */
final class RestrictedDelegate implements AutoCloseable {
    /** First thing the stand-in forced command prints; a test that sees it knows the forced command ran. */
    static final String MARKER = "forced-command-ran";

    private static final String FORCED_COMMAND = """
            #!/bin/sh
            # The stand-in forced command: reports what the session got, so a test can see what
            # restrict left. In "hold" mode it keeps the session up until stdin ends.
            printf '@MARKER@ user=%s original=%s agent=%s display=%s tty=%s\\n' "$(id -un)" \\
                "${SSH_ORIGINAL_COMMAND-<unset>}" "${SSH_AUTH_SOCK-<unset>}" "${DISPLAY-<unset>}" "$(tty 2>/dev/null || true)"
            if [ "${SSH_ORIGINAL_COMMAND-}" = hold ]; then
                echo ready
                cat >/dev/null
                echo released
            fi
            """;

    private final LocalHost host;
    private final TestUser user;
    private final ClientKey key;
    private final Path authorizedKeys;
    private final Path forcedCommand;
    private final Path knownHosts;

    private RestrictedDelegate(LocalHost host, TestUser user, ClientKey key, Path authorizedKeys, Path forcedCommand,
                               Path knownHosts) {
        this.host = host;
        this.user = user;
        this.key = key;
        this.authorizedKeys = authorizedKeys;
        this.forcedCommand = forcedCommand;
        this.knownHosts = knownHosts;
    }

    /** Creates the account, key, files and sshd; the authorized_keys file starts with {@link #restrictedLine()}. */
    static RestrictedDelegate start(String prefix) {
        Prerequisites.requireCommand("runuser", "script", "sftp", "ssh-agent");
        // the central layout's file, rooted: <root>/etc/delegator/authorized_keys/<delegate>
        LocalHost host = LocalHost.start(prefix, null);
        boolean started = false;
        try {
            Path keys = LocalHost.rootOwnedDir(host.root().resolve("etc/delegator/authorized_keys"));
            Path bin = LocalHost.rootOwnedDir(host.root().resolve("bin"));
            Path homes = LocalHost.rootOwnedDir(host.root().resolve("home"));
            host.writeDropIn("10-log.conf", "LogLevel DEBUG1\n");
            host.writeDropIn("20-central-keys.conf", "AuthorizedKeysFile " + keys + "/%u\n");
            host.reloadSshd();
            Path forced = bin.resolve("forced-command");
            Files.writeString(forced, FORCED_COMMAND.replace("@MARKER@", MARKER));
            Files.setPosixFilePermissions(forced, PosixFilePermissions.fromString("rwxr-xr-x"));
            TestUser user = host.users().create(prefix, homes);
            ClientKey key = ClientKey.generate(LocalHost.rootOwnedDir(host.root().resolve("caller")), "id_ed25519");
            Path knownHosts = host.sshd().writeKnownHosts(host.root().resolve("caller/known_hosts"));
            RestrictedDelegate d = new RestrictedDelegate(host, user, key, keys.resolve(user.name()), forced, knownHosts);
            d.authorize(d.restrictedLine());
            started = true;
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!started) {
                // a half-made delegate must not leave a user, a process or files behind
                host.close();
            }
        }
    }

    /**
     * {@code restrict,from="127.0.0.1",command="<forced>" <key>}, rendered by the product's
     * {@link DelegationLine} (the renderer apply writes its lines with).
     */
    String restrictedLine() {
        return DelegationLine.builder().publicKey(key.publicKey()).command(forcedCommand.toString())
                .from(java.util.List.of("127.0.0.1")).build().render();
    }

    /** The product's line for this key with {@code command} (and from=127.0.0.1, restrict). */
    String productLine(String command) {
        return DelegationLine.builder().publicKey(key.publicKey()).command(command).from(java.util.List.of("127.0.0.1")).build().render();
    }

    /** The caller's public key, {@code ssh-ed25519 AAAA…}. */
    String publicKey() {
        return key.publicKey();
    }

    /** The caller's key with the given options in front ({@code ""} for a bare, unrestricted key). */
    String line(String options) {
        return options.isEmpty() ? key.publicKey() : options + " " + key.publicKey();
    }

    /** Replaces the authorized_keys file (root 0644) with these lines, atomically as delegator does. */
    void authorize(String... lines) {
        try {
            Path tmp = authorizedKeys.resolveSibling("." + authorizedKeys.getFileName() + ".tmp");
            Files.writeString(tmp, String.join("\n", lines) + "\n");
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, authorizedKeys, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** OpenSSH's ssh as the caller: this key, this server's pinned host key, user = the delegate. */
    Ssh ssh() {
        return Ssh.to("127.0.0.1", host.sshd().port(), user.name(), key.privateKey(), knownHosts);
    }

    /** The shadow password field, e.g. {@code *} or {@code !}. */
    String shadowPassword() {
        for (String entry : ExternalCommand.check("getent", "shadow", user.name()).split("\n")) {
            return entry.split(":", -1)[1];
        }
        throw new AssertionError("no shadow entry for " + user.name());
    }

    /** Sets the shadow password field as root ({@code usermod -p}). */
    void setShadowPassword(String field) {
        ExternalCommand.check("usermod", "-p", field, user.name());
    }

    /** Runs {@code sh -c script} as the delegate (runuser, no login, no tty) and returns its result. */
    dev.delegator.testkit.CommandResult runAsDelegate(String script) {
        return ExternalCommand.run("runuser", "-u", user.name(), "--", "sh", "-c", script);
    }

    /** A position in sshd's log; {@link #logSince(int)} returns what came after it. */
    int logMark() {
        return host.sshd().logText().length();
    }

    String logSince(int mark) {
        return host.sshd().logText().substring(mark);
    }

    TestUser user() {
        return user;
    }

    Path authorizedKeys() {
        return authorizedKeys;
    }

    Path forcedCommand() {
        return forcedCommand;
    }

    int sshdPort() {
        return host.sshd().port();
    }

    Path root() {
        return host.root();
    }

    /** The host, for tests that add a drop-in or ask sshd -T. */
    LocalHost host() {
        return host;
    }

    @Override
    public void close() {
        host.close();
    }
}
