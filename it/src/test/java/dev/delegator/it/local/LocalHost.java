package dev.delegator.it.local;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local delegate host: a private OpenSSH sshd on 127.0.0.1 (testkit's PrivateSshd, Debian 12's
 * defaults) whose config lives where a rooted delegator layout expects it,
 * {@code <root>/etc/ssh/sshd_config}, and includes {@code <root>/etc/ssh/sshd_config.d/*.conf}
 * first, as Debian's does. So {@code delegator apply --sshd-config <root>/etc/ssh/sshd_config}
 * writes its drop-in ({@code 50-delegator.conf}) where this sshd reads it, and
 * {@link #reloadSshd()} makes it take effect, exactly as on a real host. The machine's own sshd
 * and /etc/ssh are never touched.
 *
 * <p>Everything lives under one root-owned 0755 {@link TestRoot} (outside /tmp, for StrictModes);
 * accounts are made with {@link #users()} and removed with the host.
 */
public final class LocalHost implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Server listening on ");

    private final TestRoot root;
    private final TestUsers users;
    private final PrivateSshd sshd;

    private LocalHost(TestRoot root, TestUsers users, PrivateSshd sshd) {
        this.root = root;
        this.users = users;
        this.sshd = sshd;
    }

    /** A fresh root and sshd; {@code authorizedKeysFile} is sshd's global AuthorizedKeysFile (null: Debian's default). */
    public static LocalHost start(String prefix, String authorizedKeysFile) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh", "ssh-keygen", "useradd");
        TestRoot root = TestRoot.create("it-" + prefix);
        TestUsers users = new TestUsers();
        boolean started = false;
        try {
            Path etcSsh = rootOwnedDir(root.resolve("etc/ssh"));
            rootOwnedDir(etcSsh.resolve("sshd_config.d"));
            PrivateSshd.Builder builder = PrivateSshd.builder(etcSsh).include(etcSsh.resolve("sshd_config.d") + "/*.conf");
            if (authorizedKeysFile != null) {
                builder.authorizedKeysFile(authorizedKeysFile);
            } else {
                builder.authorizedKeysFile(".ssh/authorized_keys .ssh/authorized_keys2");
            }
            LocalHost host = new LocalHost(root, users, builder.start());
            started = true;
            return host;
        } finally {
            if (!started) {
                users.close();
                root.close();
            }
        }
    }

    /** Creates a root-owned 0755 directory (and its parents under the root). */
    public static Path rootOwnedDir(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test root, {@code /var/lib/delegator-tests/it-<prefix>-<random>}: the prefix of a rooted layout. */
    public Path root() {
        return root.path();
    }

    /** {@code <root>/etc/ssh/sshd_config}, the value for apply's sshd config option. */
    public Path sshdConfig() {
        return sshd.configFile();
    }

    /** {@code <root>/etc/ssh/sshd_config.d}, where drop-ins go. */
    public Path dropInDir() {
        return sshdConfig().resolveSibling("sshd_config.d");
    }

    public PrivateSshd sshd() {
        return sshd;
    }

    public TestUsers users() {
        return users;
    }

    /** Writes a drop-in (root 0644) into {@link #dropInDir()}; call {@link #reloadSshd()} to apply it. */
    public Path writeDropIn(String fileName, String content) {
        try {
            Path file = dropInDir().resolve(fileName);
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates the config ({@code sshd -t}), sends SIGHUP and waits until sshd listens again: sshd
     * re-executes itself on SIGHUP, and a connection in between would be refused.
     */
    public void reloadSshd() {
        CommandResult test = ExternalCommand.run("/usr/sbin/sshd", "-t", "-f", sshdConfig().toString());
        if (test.exitCode() != 0) {
            throw new AssertionError("sshd -t rejects " + sshdConfig() + ": " + test.stderr());
        }
        int before = countListening();
        sshd.reload();
        long deadline = System.nanoTime() + 15_000_000_000L; // a safety net, not a performance assertion
        while (countListening() <= before) {
            if (System.nanoTime() > deadline || !sshd.isAlive()) {
                throw new AssertionError("sshd did not listen again after SIGHUP: " + sshd.logText());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** How many times sshd has logged that it listens; pass it to {@link #awaitListeningAfter(int)}. */
    public int listeningCount() {
        return countListening();
    }

    /**
     * Waits until sshd logged one more "Server listening" than {@code before}: after a reload that
     * someone else sent (delegator apply sends SIGHUP when it changed the drop-in).
     */
    public void awaitListeningAfter(int before) {
        long deadline = System.nanoTime() + 15_000_000_000L; // a safety net, not a performance assertion
        while (countListening() <= before) {
            if (System.nanoTime() > deadline || !sshd.isAlive()) {
                throw new AssertionError("sshd did not listen again after the reload: " + sshd.logText());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private int countListening() {
        Matcher m = LISTENING.matcher(sshd.logText());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** {@code sshd -T -C user=…,host=…,addr=…}: the effective config sshd would use for that connection. */
    public String effectiveConfig(String user, String address) {
        return ExternalCommand.check("/usr/sbin/sshd", "-T", "-f", sshdConfig().toString(),
                "-C", "user=" + user + ",host=" + address + ",addr=" + address);
    }

    /** Stops sshd, removes the accounts, then the root. */
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
