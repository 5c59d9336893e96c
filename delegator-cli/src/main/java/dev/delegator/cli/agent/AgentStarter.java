package dev.delegator.cli.agent;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the caller's agent when none answers: under a lock in the agent directory (two first runs
 * start one agent), as {@code setsid java ... agent serve}, detached in a session of its own (a
 * terminal's Ctrl-C or a hook runner's process-group kill does not reach it), stdin from /dev/null,
 * stdout and stderr to {@code agent.log}, with a minimal environment (the caller's may hold secrets
 * the agent has no use for).
 */
final class AgentStarter {
    /** How long a starting agent may take to answer. */
    static final Duration START = Duration.ofSeconds(15);
    private static final List<String> KEPT_ENVIRONMENT = List.of("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
            "XDG_STATE_HOME", "XDG_RUNTIME_DIR", "DELEGATOR_AGENT_DIR");

    private AgentStarter() {}

    /**
     * The socket of a running agent, started now if needed; empty (with a warning in
     * {@code messages}) when reuse cannot be used, and the run goes on without it.
     */
    static Optional<Path> ensure(Map<String, String> env, Duration idle, PrintWriter messages) {
        Path dir = AgentDirectory.of(env);
        Optional<String> problem = AgentDirectory.ensure(dir);
        if (problem.isPresent()) {
            return warn(messages, "connection reuse is off for this run: " + problem.get());
        }
        Path socket = dir.resolve(AgentDirectory.SOCKET);
        try (FileChannel lockFile = FileChannel.open(dir.resolve(AgentDirectory.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
            if (answers(socket)) {
                return Optional.of(socket);
            }
            Files.deleteIfExists(socket);
            Process p = spawn(dir, idle, env);
            long deadline = System.nanoTime() + START.toNanos();
            while (System.nanoTime() < deadline) {
                if (answers(socket)) {
                    LaunchRecord.write(dir, env);
                    return Optional.of(socket);
                }
                if (!p.isAlive() && p.exitValue() != 0) {
                    break;
                }
                Thread.sleep(10);
            }
            return warn(messages, "the connection agent did not start (see " + dir.resolve(AgentDirectory.LOG)
                    + "); this run goes without reuse");
        } catch (IOException e) {
            return warn(messages, "cannot start the connection agent in " + dir + ": " + e.getMessage()
                    + "; this run goes without reuse");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Optional<Path> warn(PrintWriter messages, String message) {
        messages.println("delegator: warning: " + message);
        messages.flush();
        return Optional.empty();
    }

    static boolean answers(Path socket) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return PeerCheck.sameUid(ch);
        } catch (IOException e) {
            return false;
        }
    }

    /** Above this the log is moved aside when an agent starts (one line per request adds up). */
    static final long LOG_LIMIT = 1 << 20;

    private static Process spawn(Path dir, Duration idle, Map<String, String> env) throws IOException {
        Path log = dir.resolve(AgentDirectory.LOG);
        if (Files.exists(log) && Files.size(log) > LOG_LIMIT) {
            Files.move(log, dir.resolve(AgentDirectory.LOG + ".1"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Files.isExecutable(Path.of("/usr/bin/setsid")) ? "/usr/bin/setsid" : "setsid");
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(LaunchRecord.jvmOptions());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.delegator.cli.DelegatorMain", "agent", "serve",
                "--dir", dir.toString(), "--idle", idle.toSeconds() + "s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(AgentDirectory.LOG).toFile()));
        pb.environment().clear();
        for (String name : KEPT_ENVIRONMENT) {
            String v = env.get(name);
            if (v != null) {
                pb.environment().put(name, v);
            }
        }
        if (env.containsKey("DELEGATOR_AGENT_DIR")) {
            pb.environment().put("DELEGATOR_AGENT_DIR", dir.toString());
        }
        return pb.start();
    }
}
