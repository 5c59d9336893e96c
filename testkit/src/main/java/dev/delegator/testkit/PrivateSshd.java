package dev.delegator.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private OpenSSH sshd for one test: 127.0.0.1 at a random free port, its own config, host key,
 * pid file and log, StrictModes on, UsePAM no. The machine's own sshd and /etc/ssh are never
 * touched. The config follows Debian 12's default (Include of a drop-in directory first,
 * KbdInteractiveAuthentication no, X11Forwarding yes, AcceptEnv LANG LC_*, Subsystem sftp) so a
 * test sees what a real server would do.
 */
public final class PrivateSshd implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final Path config;
    private final Path log;
    private final Path pidFile;
    private final int port;
    private final String hostKeyLine;
    private final Process process;

    private PrivateSshd(Path dir, Path config, Path log, Path pidFile, int port, String hostKeyLine, Process process) {
        this.dir = dir;
        this.config = config;
        this.log = log;
        this.pidFile = pidFile;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
        this.process = process;
    }

    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** The port sshd listens on at 127.0.0.1. */
    public int port() {
        return port;
    }

    public Path configFile() {
        return config;
    }

    public Path pidFile() {
        return pidFile;
    }

    /** The host's public key line, {@code ssh-ed25519 AAAA… }. */
    public String hostPublicKey() {
        return hostKeyLine;
    }

    /** A known_hosts line pinning this server at 127.0.0.1:port. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port + " " + hostKeyLine;
    }

    /** Writes a known_hosts file pinning this server and returns its path. */
    public Path writeKnownHosts(Path file) {
        try {
            Files.writeString(file, knownHostsLine() + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything sshd logged so far (LogLevel VERBOSE). */
    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sshd master's pid. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGHUP so sshd re-reads its config (as delegator apply does). */
    public void reload() {
        ExternalCommand.check("kill", "-HUP", Long.toString(process.pid()));
    }

    /** Kills the master with SIGKILL (fault tests), leaving session processes to the test. */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builds the config. Defaults: AuthorizedKeysFile .ssh/authorized_keys, StrictModes yes. */
    public static final class Builder {
        private final Path workDir;
        private String authorizedKeysFile = ".ssh/authorized_keys";
        private final List<String> includes = new ArrayList<>();
        private final List<String> extraLines = new ArrayList<>();
        private boolean strictModes = true;
        private String listenAddress = "127.0.0.1";
        private String logLevel = "VERBOSE";

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** sshd's AuthorizedKeysFile value, e.g. {@code /var/lib/delegator-tests/x/keys/%u}. */
        public Builder authorizedKeysFile(String pattern) {
            this.authorizedKeysFile = pattern;
            return this;
        }

        /** An {@code Include} line at the top of the config, as Debian includes sshd_config.d/*.conf. */
        public Builder include(String glob) {
            includes.add(glob);
            return this;
        }

        /** A raw line appended before the defaults' Subsystem line (global keywords only). */
        public Builder configLine(String line) {
            extraLines.add(line);
            return this;
        }

        public Builder strictModes(boolean on) {
            this.strictModes = on;
            return this;
        }

        /** sshd's LogLevel (default VERBOSE); DEBUG shows why a key line was refused, e.g. "entry expired at …". */
        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        public Builder listenAddress(String address) {
            this.listenAddress = address;
            return this;
        }

        /** Writes the config, starts sshd and waits for "Server listening"; retries on a port race. */
        public PrivateSshd start() {
            Prerequisites.requireRoot();
            Prerequisites.requireCommand("sshd", "ssh-keygen");
            try {
                Files.createDirectories(workDir);
                Files.createDirectories(Path.of("/run/sshd"));
                Path hostKey = workDir.resolve("ssh_host_ed25519_key");
                if (!Files.exists(hostKey)) {
                    ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "private-sshd", "-f", hostKey.toString());
                }
                String hostKeyLine = publicKeyWithoutComment(Files.readString(workDir.resolve("ssh_host_ed25519_key.pub")));
                IOException last = null;
                for (int attempt = 0; attempt < 5; attempt++) {
                    int port = FreePorts.find();
                    Path config = workDir.resolve("sshd_config");
                    Path log = workDir.resolve("sshd.log");
                    Path pid = workDir.resolve("sshd.pid");
                    Files.deleteIfExists(log);
                    Files.writeString(config, render(port, hostKey, pid));
                    CommandResult test = ExternalCommand.run(sshd(), "-t", "-f", config.toString());
                    if (test.exitCode() != 0) {
                        throw new IllegalStateException("sshd -t rejects the test config: " + test.stderr());
                    }
                    Process process = new ProcessBuilder(sshd(), "-D", "-f", config.toString(), "-E", log.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
                    PrivateSshd server = new PrivateSshd(workDir, config, log, pid, port, hostKeyLine, process);
                    if (server.awaitListening()) {
                        return server;
                    }
                    server.close();
                    last = new IOException("sshd did not start on port " + port + ": " + server.logText());
                }
                throw new UncheckedIOException(last);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a private sshd in " + workDir, e);
            }
        }

        private String render(int port, Path hostKey, Path pid) {
            StringBuilder c = new StringBuilder();
            c.append("# private sshd for a delegator test; Debian 12 defaults plus the test's own lines\n");
            for (String include : includes) {
                c.append("Include ").append(include).append('\n');
            }
            c.append("Port ").append(port).append('\n');
            c.append("ListenAddress ").append(listenAddress).append('\n');
            c.append("HostKey ").append(hostKey).append('\n');
            c.append("PidFile ").append(pid).append('\n');
            c.append("UsePAM no\n");
            c.append("StrictModes ").append(strictModes ? "yes" : "no").append('\n');
            c.append("LogLevel ").append(logLevel).append('\n');
            c.append("PasswordAuthentication no\n");
            c.append("KbdInteractiveAuthentication no\n");
            c.append("PubkeyAuthentication yes\n");
            c.append("AuthorizedKeysFile ").append(authorizedKeysFile).append('\n');
            c.append("X11Forwarding yes\n");
            c.append("PrintMotd no\n");
            c.append("AcceptEnv LANG LC_*\n");
            for (String line : extraLines) {
                c.append(line).append('\n');
            }
            c.append("Subsystem sftp /usr/lib/openssh/sftp-server\n");
            return c.toString();
        }
    }

    private boolean awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = logText();
            if (text.contains("Server listening on")) {
                return true;
            }
            if (!process.isAlive() || text.contains("Address already in use") || text.contains("Cannot bind any address")) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private static String sshd() {
        Path path = Prerequisites.findCommand("sshd");
        return path == null ? "/usr/sbin/sshd" : path.toString();
    }

    static String publicKeyWithoutComment(String pub) {
        String[] parts = pub.trim().split("\\s+");
        return parts[0] + " " + parts[1];
    }
}
