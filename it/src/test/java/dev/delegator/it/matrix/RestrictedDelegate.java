package dev.delegator.it.matrix;

import dev.delegator.it.ssh.ClientKey;
import dev.delegator.it.ssh.Ssh;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
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
 * <p>The sshd config is Debian 12's default (see testkit's PrivateSshd), with no delegator drop-in
 * forbidding forwarding or ttys: every refusal these tests see comes from the authorized_keys line
 * alone, which is the promise under test. sshd logs at DEBUG1 (set in an included file, which sshd
 * reads first and so wins) because some refusals (agent forwarding, pty) are only logged there.
 *
 * <p>The line and the forced command are written by hand for now; later rounds switch them to the
 * product's renderer and the real dispatcher.
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

    private final TestRoot root;
    private final TestUsers users;
    private final TestUser user;
    private final ClientKey key;
    private final Path authorizedKeys;
    private final Path forcedCommand;
    private final PrivateSshd sshd;
    private final Path knownHosts;

    private RestrictedDelegate(TestRoot root, TestUsers users, TestUser user, ClientKey key, Path authorizedKeys,
                               Path forcedCommand, PrivateSshd sshd, Path knownHosts) {
        this.root = root;
        this.users = users;
        this.user = user;
        this.key = key;
        this.authorizedKeys = authorizedKeys;
        this.forcedCommand = forcedCommand;
        this.sshd = sshd;
        this.knownHosts = knownHosts;
    }

    /** Creates the account, key, files and sshd; the authorized_keys file starts with {@link #restrictedLine()}. */
    static RestrictedDelegate start(String prefix) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh", "ssh-keygen", "useradd", "runuser");
        TestRoot root = TestRoot.create("it-" + prefix);
        TestUsers users = new TestUsers();
        PrivateSshd sshd = null;
        boolean started = false;
        try {
            Path keys = rootOwnedDir(root.resolve("keys"));
            Path bin = rootOwnedDir(root.resolve("bin"));
            Path dropIns = rootOwnedDir(root.resolve("sshd_config.d"));
            Path homes = rootOwnedDir(root.resolve("home"));
            Files.writeString(dropIns.resolve("10-log.conf"), "LogLevel DEBUG1\n");
            Path forced = bin.resolve("forced-command");
            Files.writeString(forced, FORCED_COMMAND.replace("@MARKER@", MARKER));
            Files.setPosixFilePermissions(forced, PosixFilePermissions.fromString("rwxr-xr-x"));
            TestUser user = users.create(prefix, homes);
            ClientKey key = ClientKey.generate(rootOwnedDir(root.resolve("caller")), "id_ed25519");
            sshd = PrivateSshd.builder(root.resolve("sshd"))
                    .authorizedKeysFile(keys + "/%u")
                    .include(dropIns + "/*.conf")
                    .start();
            Path knownHosts = sshd.writeKnownHosts(root.resolve("caller/known_hosts"));
            RestrictedDelegate d = new RestrictedDelegate(root, users, user, key, keys.resolve(user.name()), forced, sshd, knownHosts);
            d.authorize(d.restrictedLine());
            started = true;
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (!started) {
                // a half-made delegate must not leave a user, a process or files behind
                if (sshd != null) {
                    sshd.close();
                }
                users.close();
                root.close();
            }
        }
    }

    private static Path rootOwnedDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** {@code restrict,from="127.0.0.1",command="<forced>" <key>}: the shape delegator writes. */
    String restrictedLine() {
        return line("restrict,from=\"127.0.0.1\",command=\"" + forcedCommand + "\"");
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
        return Ssh.to("127.0.0.1", sshd.port(), user.name(), key.privateKey(), knownHosts);
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
        return sshd.logText().length();
    }

    String logSince(int mark) {
        return sshd.logText().substring(mark);
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
        return sshd.port();
    }

    Path root() {
        return root.path();
    }

    @Override
    public void close() {
        try {
            sshd.close();
        } finally {
            try {
                users.close();
            } finally {
                root.close();
            }
        }
    }
}
