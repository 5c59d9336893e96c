package dev.delegator.client;

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
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A real delegate for the caller's tests: a throwaway account, a caller key pinned to a forced
 * command in a root-owned authorized_keys, and a private sshd on 127.0.0.1 with an ed25519 and an
 * ECDSA host key (known_hosts pins only the ed25519 one, as apply writes it: this exercises the
 * host-key algorithm ordering in every test).
 *
 * <p>The forced command is a stand-in for the dispatcher: it runs the request as shell code, and
 * {@code until-eof CMD...} runs CMD until stdin reaches EOF and then ends it, as the dispatcher ends
 * its child when the caller closes the channel.
 */
public final class SshFixture implements AutoCloseable {
    public static final String FORCED = """
            #!/bin/sh
            # test stand-in for the dispatcher: runs the request as shell code
            case "$SSH_ORIGINAL_COMMAND" in
              "until-eof "*)
                set -f
                # shellcheck disable=SC2086
                set -- ${SSH_ORIGINAL_COMMAND#until-eof }
                "$@" &
                child=$!
                cat >/dev/null
                kill "$child" 2>/dev/null
                wait "$child"
                exit $? ;;
            esac
            exec /bin/sh -c "$SSH_ORIGINAL_COMMAND"
            """;

    public final TestRoot root;
    public final TestUsers users;
    public final TestUser user;
    public final Path key;
    public final Path knownHosts;
    public final PrivateSshd sshd;

    private SshFixture(TestRoot root, TestUsers users, TestUser user, Path key, Path knownHosts, PrivateSshd sshd) {
        this.root = root;
        this.users = users;
        this.user = user;
        this.key = key;
        this.knownHosts = knownHosts;
        this.sshd = sshd;
    }

    public static SshFixture start(String prefix) {
        return start(prefix, FORCED);
    }

    /** Starts a delegate whose forced command is the given script. */
    public static SshFixture start(String prefix, String forcedScript) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh-keygen", "useradd");
        TestRoot root = TestRoot.create(prefix);
        TestUsers users = new TestUsers();
        try {
            Path keys = dir(root.resolve("keys"));
            Path homes = dir(root.resolve("homes"));
            TestUser user = users.create("hr", homes);
            Path caller = root.resolve("caller");
            Files.createDirectory(caller);
            Files.setPosixFilePermissions(caller, PosixFilePermissions.fromString("rwx------"));
            Path key = caller.resolve("id_ed25519");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "caller", "-f", key.toString());
            Path forced = root.resolve("forced");
            Files.writeString(forced, forcedScript);
            Files.setPosixFilePermissions(forced, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path authorized = keys.resolve(user.name());
            Files.writeString(authorized, "restrict,command=\"exec " + forced + "\" " + Files.readString(Path.of(key + ".pub")));
            Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
            Path sshdDir = root.resolve("sshd");
            Files.createDirectory(sshdDir);
            Path ecdsa = sshdDir.resolve("ssh_host_ecdsa_key");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", ecdsa.toString());
            PrivateSshd sshd = PrivateSshd.builder(sshdDir)
                    .authorizedKeysFile(keys + "/%u")
                    .configLine("HostKey " + ecdsa)
                    .start();
            Path knownHosts = sshd.writeKnownHosts(caller.resolve("known_hosts"));
            return new SshFixture(root, users, user, key, knownHosts, sshd);
        } catch (IOException e) {
            users.close();
            root.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            users.close();
            root.close();
            throw e;
        }
    }

    private static Path dir(Path p) throws IOException {
        Files.createDirectory(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    public DelegationTarget target() {
        return new DelegationTarget("test", "127.0.0.1", sshd.port(), user.name(), Material.file(key),
                Material.file(knownHosts));
    }

    public DelegationTarget target(Path knownHostsFile) {
        return new DelegationTarget("test", "127.0.0.1", sshd.port(), user.name(), Material.file(key),
                Material.file(knownHostsFile));
    }

    @Override
    public void close() {
        try {
            sshd.close();
        } finally {
            users.close();
            root.close();
        }
    }
}
