package dev.delegator.localsshd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private OpenSSH sshd: 127.0.0.1 at a random free port, its own config, host key, pid file and
 * log in its own directory, StrictModes on, UsePAM no. The machine's own sshd and /etc/ssh are
 * never read or touched. It runs as whoever starts it: as root it can log any account in; as an
 * ordinary user only that user. The config follows Debian 12's default (Include of a drop-in
 * directory first, KbdInteractiveAuthentication no, X11Forwarding yes, AcceptEnv LANG LC_*,
 * Subsystem sftp) so a caller sees what a real server would do.
 *
 * <p>One default differs where sshd has it: from OpenSSH 9.8 on, sshd penalizes a source address
 * after failed logins (PerSourcePenalties, on by default) and then drops every connection from it
 * for 15 s and more. Everything here connects from 127.0.0.1 and tests and the demo fail logins on
 * purpose, so the config says {@code PerSourcePenalties no} where sshd knows the keyword (the
 * version from {@code sshd -V}); 9.2 refuses the line, and it is left out there.
 */
public final class LocalSshd implements AutoCloseable {
    /** sshd's privilege separation directory; a root sshd refuses connections without it. */
    public static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final Path config;
    private final Path log;
    private final Path pidFile;
    private final int port;
    private final String hostKeyLine;
    private final Process process;
    private final Listener listener;
    private final OpenSshVersion version;

    private LocalSshd(Path config, Path log, Path pidFile, int port, String hostKeyLine, Process process, Listener listener,
            OpenSshVersion version) {
        this.config = config;
        this.log = log;
        this.pidFile = pidFile;
        this.port = port;
        this.hostKeyLine = hostKeyLine;
        this.process = process;
        this.listener = listener;
        this.version = version;
    }

    /** A builder for an sshd whose files (config, host key, log, pid file) live in {@code workDir}. */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** The sshd binary: the first on PATH or in the sbin directories, else Debian's /usr/sbin/sshd. */
    public static Path binary() {
        return Command.find("sshd").orElse(Path.of("/usr/sbin/sshd"));
    }

    /**
     * Told of every sshd process a builder starts and ends, so a caller can record its pid where a
     * later cleanup finds it (the demo's state file) before anything can go wrong.
     */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void started(long pid) {}

            @Override
            public void stopped(long pid) {}
        };

        void started(long pid);

        void stopped(long pid);
    }

    /** The port sshd listens on. */
    public int port() {
        return port;
    }

    public Path configFile() {
        return config;
    }

    public Path pidFile() {
        return pidFile;
    }

    public Path logFile() {
        return log;
    }

    /** The host's public key line, {@code ssh-ed25519 AAAA…}. */
    public String hostPublicKey() {
        return hostKeyLine;
    }

    /** A known_hosts line pinning this server at 127.0.0.1:port. */
    public String knownHostsLine() {
        return knownHostsLine("127.0.0.1");
    }

    /** A known_hosts line pinning this server as {@code [host]:port}. */
    public String knownHostsLine(String host) {
        return "[" + host + "]:" + port + " " + hostKeyLine;
    }

    /** Writes a known_hosts file pinning this server at 127.0.0.1 and returns its path. */
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

    /** The log's last non-blank line, for a one-line failure message. */
    public String lastLogLine() {
        String[] lines = logText().strip().split("\n");
        return lines[lines.length - 1].isBlank() ? "no log output" : lines[lines.length - 1].strip();
    }

    /** The sshd master's pid. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The OpenSSH release of this sshd, from {@code sshd -V}. */
    public OpenSshVersion version() {
        return version;
    }

    /**
     * The processes sshd runs for its connections, never the listener itself. Up to OpenSSH 9.7
     * they are named {@code sshd} like the listener; from 9.8 on the listener execs
     * {@code sshd-session} for each connection (and {@code sshd-auth}, on 10.0, only until the
     * login is decided). Both layouts give the monitor and the user's session process here.
     */
    public List<ProcessHandle> sessionProcesses() {
        return process.descendants().filter(p -> isSessionExecutable(p.info().command().orElse(""))).toList();
    }

    static boolean isSessionExecutable(String command) {
        String name = command.substring(command.lastIndexOf('/') + 1);
        return name.equals("sshd") || name.equals("sshd-session");
    }

    /** Sends SIGHUP so sshd re-reads its config (as delegator apply does). */
    public void reload() {
        Command.of("kill", "-HUP", Long.toString(process.pid())).check();
    }

    /** How often sshd has said it listens (once per start and once per SIGHUP re-exec). */
    public int listeningCount() {
        int n = 0;
        for (String line : logText().split("\n")) {
            if (line.contains("Server listening on")) {
                n++;
            }
        }
        return n;
    }

    /** True once the log holds {@code count} "Server listening" lines; false if sshd died or could not bind. */
    public boolean awaitListening(int count) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (listeningCount() >= count) {
                return true;
            }
            String text = logText();
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

    /**
     * Makes sure sshd has re-read its config since it had logged {@code listeningBefore} "Server
     * listening" lines: sends SIGHUP unless a reload (say, by apply) already happened, then waits
     * for it to listen again.
     */
    public void ensureReloaded(int listeningBefore) {
        if (listeningCount() <= listeningBefore && !logText().contains("Received SIGHUP")) {
            reload();
        }
        if (!awaitListening(listeningBefore + 1)) {
            throw new IllegalStateException("sshd did not come back after re-reading its config: " + lastLogLine());
        }
    }

    /** Kills the master with SIGKILL (fault tests), leaving session processes to the caller. */
    public void kill() {
        process.destroyForcibly();
    }

    /** Ends sshd (SIGTERM, SIGKILL after 5 s; its sessions end with it) and tells the listener. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.stopped(process.pid());
    }

    /** Builds the config. Defaults: AuthorizedKeysFile .ssh/authorized_keys, StrictModes yes, ListenAddress 127.0.0.1. */
    public static final class Builder {
        private final Path workDir;
        private String authorizedKeysFile = ".ssh/authorized_keys";
        private final List<String> includes = new ArrayList<>();
        private final List<String> extraLines = new ArrayList<>();
        private boolean strictModes = true;
        private String listenAddress = "127.0.0.1";
        private String logLevel = "VERBOSE";
        private String headline = "private sshd for a delegator test; Debian 12 defaults plus the test's own lines";
        private String hostKeyComment = "private-sshd";
        private Listener listener = Listener.NONE;

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** sshd's AuthorizedKeysFile value, e.g. {@code /var/lib/delegator-tests/x/keys/%u}, or {@code none}. */
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

        public Builder listenAddress(String address) {
            this.listenAddress = address;
            return this;
        }

        /** sshd's LogLevel (default VERBOSE); DEBUG shows why a key line was refused, e.g. "entry expired at …". */
        public Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        /** The comment on the config's first line: who runs this sshd and who removes it. */
        public Builder headline(String text) {
            this.headline = text;
            return this;
        }

        /** The comment of the host key ssh-keygen writes. */
        public Builder hostKeyComment(String comment) {
            this.hostKeyComment = comment;
            return this;
        }

        public Builder listener(Listener l) {
            this.listener = l;
            return this;
        }

        /**
         * Writes the config, checks it with {@code sshd -t}, starts sshd in the foreground
         * ({@code -D}) and waits for "Server listening"; a port taken between choosing and binding
         * is retried with another, up to five times.
         *
         * @throws IllegalStateException sshd -t refuses the config, or sshd did not start (the
         *     message has sshd's own line)
         */
        public LocalSshd start() {
            try {
                Files.createDirectories(workDir);
                ensurePrivsepDir();
                Path hostKey = workDir.resolve("ssh_host_ed25519_key");
                if (!Files.exists(hostKey)) {
                    Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", hostKeyComment, "-f", hostKey.toString()).check();
                }
                String hostKeyLine = publicKeyWithoutComment(Files.readString(workDir.resolve("ssh_host_ed25519_key.pub")));
                Path config = workDir.resolve("sshd_config");
                Path log = workDir.resolve("sshd.log");
                Path pid = workDir.resolve("sshd.pid");
                String sshd = binary().toString();
                OpenSshVersion version = OpenSshVersion.ofSshd(sshd);
                String lastLog = "no log output";
                for (int attempt = 0; attempt < 5; attempt++) {
                    int port = FreePorts.find();
                    Files.writeString(config, render(port, hostKey, pid, version));
                    Command.Result test = Command.of(sshd, "-t", "-f", config.toString()).run();
                    if (test.status() != 0) {
                        throw new IllegalStateException("sshd -t rejects the sshd config " + config + ": " + test.firstErrorLine());
                    }
                    Files.deleteIfExists(log);
                    Process process = Command.of(sshd, "-D", "-f", config.toString(), "-E", log.toString())
                            .start(workDir.resolve("sshd.out"));
                    listener.started(process.pid());
                    LocalSshd server = new LocalSshd(config, log, pid, port, hostKeyLine, process, listener, version);
                    if (server.awaitListening(1)) {
                        return server;
                    }
                    lastLog = server.lastLogLine();
                    server.close();
                }
                throw new IllegalStateException("sshd did not start in " + workDir + ": " + lastLog);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a private sshd in " + workDir, e);
            }
        }

        /**
         * Creates /run/sshd (root 0755, whatever the umask) when missing: a root sshd needs it for
         * every connection, and it is only made when the machine's sshd starts, which may never
         * have happened. It stays afterwards: it is openssh-server's own runtime directory, and
         * any other private sshd started meanwhile needs it. An ordinary user cannot make it, and
         * that user's sshd does not need it (it does no privilege separation).
         */
        private static void ensurePrivsepDir() throws IOException {
            if (Files.isDirectory(PRIVSEP_DIR)) {
                return;
            }
            try {
                Files.createDirectories(PRIVSEP_DIR);
                Files.setPosixFilePermissions(PRIVSEP_DIR, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (AccessDeniedException e) {
                // not root: see above
            }
        }

        private String render(int port, Path hostKey, Path pid, OpenSshVersion version) {
            StringBuilder c = new StringBuilder();
            c.append("# ").append(headline).append('\n');
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
            if (version.hasPerSourcePenalties()) {
                c.append("PerSourcePenalties no\n");
            }
            for (String line : extraLines) {
                c.append(line).append('\n');
            }
            c.append("Subsystem sftp /usr/lib/openssh/sftp-server\n");
            return c.toString();
        }
    }

    static String publicKeyWithoutComment(String pub) {
        String[] parts = pub.trim().split("\\s+");
        return parts[0] + " " + parts[1];
    }
}
