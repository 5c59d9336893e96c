package dev.delegator.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's own OpenSSH sshd: 127.0.0.1 at a free port, its own config, host key, pid file and
 * log in the demo's directory. The machine's sshd and /etc/ssh are never read or touched. It runs
 * as whoever starts it: as root for the full demo, as the invoking user for {@code --no-root}
 * (then only that user can log in).
 */
public final class DemoSshd {
    /** sshd's privilege separation directory; a root sshd refuses to start without it. */
    public static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    /** The sshd binary Debian installs. */
    public static final Path BINARY = Path.of("/usr/sbin/sshd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final Path config;
    private final Path log;
    private final int port;
    private final String hostKey;
    private final Process process;

    private DemoSshd(Path dir, Path config, Path log, int port, String hostKey, Process process) {
        this.dir = dir;
        this.config = config;
        this.log = log;
        this.port = port;
        this.hostKey = hostKey;
        this.process = process;
    }

    /**
     * Writes the config (the given lines after the fixed ones), checks it with {@code sshd -t},
     * starts sshd in the foreground ({@code -D}) and waits for it to listen. A port taken between
     * choosing and binding is retried with another.
     */
    public static DemoSshd start(Path dir, List<String> extraLines, DemoState state) {
        try {
            Files.createDirectories(dir);
            Path hostKeyFile = dir.resolve("ssh_host_ed25519_key");
            if (!Files.exists(hostKeyFile)) {
                Command.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "delegator-demo", "-f", hostKeyFile.toString()).check();
            }
            String[] pub = Files.readString(dir.resolve("ssh_host_ed25519_key.pub")).trim().split("\\s+");
            String hostKey = pub[0] + " " + pub[1];
            Path config = dir.resolve("sshd_config");
            Path log = dir.resolve("sshd.log");
            String lastLog = "";
            for (int attempt = 0; attempt < 5; attempt++) {
                int port = freePort();
                Files.writeString(config, render(dir, port, hostKeyFile, extraLines));
                Command.Result test = Command.of(BINARY.toString(), "-t", "-f", config.toString()).run();
                if (test.status() != 0) {
                    throw new DemoFailure("sshd -t rejects the demo's sshd config " + config + ": " + test.firstErrorLine());
                }
                Files.deleteIfExists(log);
                Process p = Command.of(BINARY.toString(), "-D", "-f", config.toString(), "-E", log.toString())
                        .start(dir.resolve("sshd.out"));
                state.putPid("sshd", p.pid());
                DemoSshd sshd = new DemoSshd(dir, config, log, port, hostKey, p);
                if (sshd.awaitListening(1)) {
                    return sshd;
                }
                lastLog = sshd.lastLogLine();
                sshd.stop(state);
            }
            throw new DemoFailure("sshd did not start: " + lastLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Creates /run/sshd (root 0755) when missing: a root sshd needs it for every connection, and
     * it is only made when the machine's sshd starts, which the demo's install prevents. It stays
     * afterwards (it is openssh-server's own runtime directory, and any other private sshd started
     * meanwhile needs it for its connections).
     */
    public static void ensurePrivsepDir() {
        Dirs.create(PRIVSEP_DIR);
    }

    private static String render(Path dir, int port, Path hostKey, List<String> extraLines) {
        StringBuilder c = new StringBuilder();
        c.append("# the delegator demo's private sshd (never the machine's own); removed by the demo's cleanup\n");
        for (String line : extraLines) {
            if (line.startsWith("Include ")) {
                c.append(line).append('\n');
            }
        }
        c.append("Port ").append(port).append('\n');
        c.append("ListenAddress 127.0.0.1\n");
        c.append("HostKey ").append(hostKey).append('\n');
        c.append("PidFile ").append(dir.resolve("sshd.pid")).append('\n');
        c.append("UsePAM no\n");
        c.append("StrictModes yes\n");
        c.append("LogLevel VERBOSE\n");
        c.append("PasswordAuthentication no\n");
        c.append("KbdInteractiveAuthentication no\n");
        c.append("PubkeyAuthentication yes\n");
        c.append("PermitRootLogin no\n");
        c.append("PrintMotd no\n");
        for (String line : extraLines) {
            if (!line.startsWith("Include ")) {
                c.append(line).append('\n');
            }
        }
        c.append("Subsystem sftp /usr/lib/openssh/sftp-server\n");
        return c.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path config() {
        return config;
    }

    public Path log() {
        return log;
    }

    public Path dir() {
        return dir;
    }

    public long pid() {
        return process.pid();
    }

    /** The host key as {@code ssh-ed25519 AAAA...}. */
    public String hostKey() {
        return hostKey;
    }

    /** A known_hosts line for {@code [host]:port}. */
    public String knownHostsLine(String host) {
        return "[" + host + "]:" + port + " " + hostKey;
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private String lastLogLine() {
        String[] lines = logText().strip().split("\n");
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "no log output" : lines[lines.length - 1];
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

    /** True once the log holds {@code count} "Server listening" lines. */
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

    /** Makes sure sshd has re-read its config: asks it to, unless it already did since {@code countBefore}. */
    public void ensureReloaded(int countBefore) {
        if (listeningCount() <= countBefore && !logText().contains("Received SIGHUP")) {
            Command.of("kill", "-HUP", Long.toString(process.pid())).check();
        }
        if (!awaitListening(countBefore + 1)) {
            throw new DemoFailure("sshd did not come back after re-reading its config: " + lastLogLine());
        }
    }

    /** Ends sshd (its sessions end with it) and forgets its pid. */
    public void stop(DemoState state) {
        state.stop("sshd", process);
    }
}
