package dev.delegator.testkit;

import dev.delegator.localsshd.LocalSshd;
import dev.delegator.localsshd.OpenSshVersion;
import java.nio.file.Path;
import java.util.List;

/**
 * A private OpenSSH sshd for one test: local-sshd's {@link LocalSshd} (127.0.0.1 at a random free
 * port, its own config, host key, pid file and log, StrictModes on, UsePAM no, Debian 12's
 * defaults), started only once the test's prerequisites hold: root and the OpenSSH commands,
 * skipped locally and failed in CI when missing ({@link Prerequisites}). The demo runs the same
 * {@link LocalSshd}; this class adds the test policy only.
 */
public final class PrivateSshd implements AutoCloseable {
    private final LocalSshd sshd;

    private PrivateSshd(LocalSshd sshd) {
        this.sshd = sshd;
    }

    public static Builder builder(Path workDir) {
        return new Builder(LocalSshd.builder(workDir));
    }

    /** The port sshd listens on at 127.0.0.1. */
    public int port() {
        return sshd.port();
    }

    public Path configFile() {
        return sshd.configFile();
    }

    public Path pidFile() {
        return sshd.pidFile();
    }

    /** The host's public key line, {@code ssh-ed25519 AAAA… }. */
    public String hostPublicKey() {
        return sshd.hostPublicKey();
    }

    /** A known_hosts line pinning this server at 127.0.0.1:port. */
    public String knownHostsLine() {
        return sshd.knownHostsLine();
    }

    /** Writes a known_hosts file pinning this server and returns its path. */
    public Path writeKnownHosts(Path file) {
        return sshd.writeKnownHosts(file);
    }

    /** Everything sshd logged so far (LogLevel VERBOSE). */
    public String logText() {
        return sshd.logText();
    }

    /** The sshd master's pid. */
    public long pid() {
        return sshd.pid();
    }

    public boolean isAlive() {
        return sshd.isAlive();
    }

    /** The OpenSSH release of this sshd, from {@code sshd -V}. */
    public OpenSshVersion version() {
        return sshd.version();
    }

    /** sshd's processes for its connections in both process layouts, never the listener: {@link LocalSshd#sessionProcesses()}. */
    public List<ProcessHandle> sessionProcesses() {
        return sshd.sessionProcesses();
    }

    /** Sends SIGHUP so sshd re-reads its config (as delegator apply does). */
    public void reload() {
        sshd.reload();
    }

    /** Kills the master with SIGKILL (fault tests), leaving session processes to the test. */
    public void kill() {
        sshd.kill();
    }

    @Override
    public void close() {
        sshd.close();
    }

    /** Builds the config. Defaults: AuthorizedKeysFile .ssh/authorized_keys, StrictModes yes. */
    public static final class Builder {
        private final LocalSshd.Builder builder;

        private Builder(LocalSshd.Builder builder) {
            this.builder = builder;
        }

        /** sshd's AuthorizedKeysFile value, e.g. {@code /var/lib/delegator-tests/x/keys/%u}. */
        public Builder authorizedKeysFile(String pattern) {
            builder.authorizedKeysFile(pattern);
            return this;
        }

        /** An {@code Include} line at the top of the config, as Debian includes sshd_config.d/*.conf. */
        public Builder include(String glob) {
            builder.include(glob);
            return this;
        }

        /** A raw line appended before the defaults' Subsystem line (global keywords only). */
        public Builder configLine(String line) {
            builder.configLine(line);
            return this;
        }

        public Builder strictModes(boolean on) {
            builder.strictModes(on);
            return this;
        }

        /** sshd's LogLevel (default VERBOSE); DEBUG shows why a key line was refused, e.g. "entry expired at …". */
        public Builder logLevel(String level) {
            builder.logLevel(level);
            return this;
        }

        public Builder listenAddress(String address) {
            builder.listenAddress(address);
            return this;
        }

        /** Checks the prerequisites, then writes the config, starts sshd and waits for "Server listening". */
        public PrivateSshd start() {
            Prerequisites.requireRoot();
            Prerequisites.requireCommand("sshd", "ssh-keygen");
            return new PrivateSshd(builder.start());
        }
    }
}
