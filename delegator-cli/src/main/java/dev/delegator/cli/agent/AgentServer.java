package dev.delegator.cli.agent;

import dev.delegator.cli.QuickStart;
import dev.delegator.client.ConnectionPool;
import dev.delegator.client.RunOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The caller's agent (README "Connection reuse"): listens on {@code agent.sock} in its
 * {@link AgentDirectory}, refuses every connection whose peer uid is not its own, and runs each
 * request with the CLI's own commands on its {@link ConnectionPool}. It ends when no request came
 * for the idle period (the last accepted request's reuse duration), on SIGTERM, on
 * {@code delegator agent stop}, and when a file its connections were made from changed or a client
 * from another build asked (it then declines, stops taking requests, and ends once the running
 * ones finished).
 */
public final class AgentServer {
    private final Path dir;
    private final Path socket;
    private final PrintStream log;
    private final ConnectionPool pool = new ConnectionPool(RunOptions.defaults());
    private final FileFingerprints fingerprints = new FileFingerprints();
    private final Instant started = Instant.now();
    private final UserPrincipal self;
    private ServerSocketChannel server;
    private Duration idle;
    private int running;
    private long requests;
    private long lastEnd = System.nanoTime();
    private boolean closing;

    private AgentServer(Path dir, Duration idle, PrintStream log) throws IOException {
        this.dir = dir;
        this.socket = dir.resolve(AgentDirectory.SOCKET);
        this.idle = idle;
        this.log = log;
        this.self = PeerCheck.self();
    }

    /**
     * Runs an agent in {@code dir} until it ends; {@code log} gets one line per notable event.
     *
     * @return 0 when it ended by itself or was stopped; 1 when it could not start
     */
    public static int serve(Path dir, Duration idle, PrintStream log) {
        Optional<String> problem = AgentDirectory.problem(dir);
        if (problem.isPresent()) {
            log.println("delegator agent: not starting: " + problem.get());
            return 1;
        }
        try {
            return new AgentServer(dir, idle, log).run();
        } catch (IOException e) {
            log.println("delegator agent: " + e.getMessage());
            return 1;
        }
    }

    private int run() throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        // bound with a 0600 socket file: the directory already keeps others out; this is the same rule once more
        Files.deleteIfExists(socket);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        log("started, pid " + ProcessHandle.current().pid() + ", idle " + idle.toSeconds() + " s");
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutdown, "agent-shutdown"));
        Thread watch = new Thread(this::watchIdle, "agent-idle");
        watch.setDaemon(true);
        watch.start();
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                synchronized (this) {
                    if (closing) {
                        break;
                    }
                }
                throw e;
            }
            Thread t = new Thread(() -> handle(ch), "agent-connection");
            t.setDaemon(true);
            t.start();
        }
        shutdown();
        return 0;
    }

    private void handle(SocketChannel ch) {
        try (ch) {
            UserPrincipal peer = PeerCheck.peer(ch);
            if (!peer.equals(self)) {
                log("refused a connection from user " + peer.getName() + ": only " + self.getName() + " may use this agent");
                return;
            }
            Frames frames = new Frames(ch);
            Frames.Frame f = frames.read();
            if (f == null) {
                return;
            }
            switch (f.type()) {
                case Frames.STATUS -> {
                    byte[] text = status();
                    frames.write(Frames.TEXT, text, 0, text.length);
                }
                case Frames.STOP -> {
                    byte[] text = ("stopped the agent (pid " + ProcessHandle.current().pid() + ")\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    frames.write(Frames.TEXT, text, 0, text.length);
                    log("stopped by delegator agent stop");
                    close();
                }
                case Frames.REQUEST -> request(frames, Frames.strings(f.payload()));
                default -> log("refused a connection: unexpected frame " + f.type());
            }
        } catch (IOException | RuntimeException e) {
            log("connection: " + e);
        }
    }

    private void request(Frames frames, List<String> r) throws IOException {
        if (r.size() < 4 || !r.get(0).equals(Frames.VERSION) || !r.get(1).equals(Frames.build())) {
            frames.write(Frames.DECLINE);
            drain("a client from another build asked");
            return;
        }
        synchronized (this) {
            if (closing) {
                frames.write(Frames.DECLINE);
                return;
            }
            running++;
            requests++;
        }
        try {
            Path cwd = Path.of(r.get(2));
            int argc = Integer.parseInt(r.get(3));
            String[] args = r.subList(4, 4 + argc).toArray(String[]::new);
            Map<String, String> env = new HashMap<>();
            for (String kv : r.subList(4 + argc, r.size())) {
                int eq = kv.indexOf('=');
                if (eq > 0 && Frames.ENVIRONMENT.contains(kv.substring(0, eq))) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            AgentCall call = new AgentCall(frames, this);
            call.startReading();
            long t0 = System.nanoTime();
            int status = QuickStart.execute(args, CallContext.agent(call, env, cwd));
            if (!call.declined()) {
                frames.writeInt(Frames.EXIT, status);
            }
            log("request " + String.join(" ", args) + ": " + (call.declined() ? "declined" : "exit " + status) + ", "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
        } finally {
            synchronized (this) {
                running--;
                lastEnd = System.nanoTime();
                notifyAll();
            }
        }
    }

    ConnectionPool pool() {
        return pool;
    }

    FileFingerprints fingerprints() {
        return fingerprints;
    }

    /** The idle period from now on: the last accepted request's reuse duration. */
    synchronized void reuse(Duration d) {
        idle = d;
    }

    /**
     * Takes no more requests (the socket goes at once, so the next run starts a new agent) and ends
     * when the running ones finished.
     */
    synchronized void drain(String why) {
        if (!closing) {
            log("ending: " + why);
            close();
        }
    }

    private synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log("cannot remove " + socket + ": " + e.getMessage());
        }
        notifyAll();
    }

    private void watchIdle() {
        synchronized (this) {
            while (true) {
                long idleNanos = System.nanoTime() - lastEnd;
                if (running == 0 && (closing || idleNanos >= idle.toNanos())) {
                    if (!closing) {
                        log("ending: no request for " + idle.toSeconds() + " s");
                    }
                    close();
                    try {
                        server.close();
                    } catch (IOException e) {
                        log("closing the socket: " + e.getMessage());
                    }
                    return;
                }
                try {
                    wait(running > 0 || closing ? 1000 : Math.max(1, (idle.toNanos() - idleNanos) / 1_000_000 + 1));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** On every way out (idle, stop, SIGTERM): the socket goes and every connection is closed, ending remote work. */
    private void shutdown() {
        close();
        pool.close();
    }

    private byte[] status() {
        StringBuilder b = new StringBuilder();
        synchronized (this) {
            long left = Math.max(0, idle.toSeconds() - Duration.ofNanos(System.nanoTime() - lastEnd).toSeconds());
            b.append("agent: pid ").append(ProcessHandle.current().pid()).append(", running since ").append(started)
                    .append(", socket ").append(socket).append('\n');
            b.append("idle: ends after ").append(idle.toSeconds()).append(" s without a request")
                    .append(running == 0 ? " (in " + left + " s)" : "").append('\n');
            b.append("requests: ").append(requests).append(" (").append(running).append(" running)\n");
        }
        List<String> idleConnections = pool.describe();
        b.append("idle connections: ").append(idleConnections.size()).append('\n');
        for (String c : idleConnections) {
            b.append("  ").append(c).append('\n');
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    synchronized void log(String line) {
        log.println(Instant.now() + " " + line);
        log.flush();
    }
}
