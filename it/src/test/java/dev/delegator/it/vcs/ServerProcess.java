package dev.delegator.it.vcs;

import dev.delegator.it.local.RunAs;
import dev.delegator.testkit.FreePorts;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** A TCP server (hg serve, git daemon) run as a service account on 127.0.0.1 at a free port. */
final class ServerProcess {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30); // a safety net, not a performance assertion

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code command(port)} as {@code user} and waits until the port accepts; retries on a port race. */
    static ServerProcess start(TestUser user, Map<String, String> env, Path dir, Path log, IntFunction<List<String>> command) {
        String last = "";
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePorts.find();
            Process process = RunAs.start(user, env, dir, log, command.apply(port));
            if (awaitPort(process, port)) {
                return new ServerProcess(process, port, log);
            }
            RunAs.stop(process);
            last = readLog(log);
        }
        throw new AssertionError("server did not start: " + last);
    }

    private static boolean awaitPort(Process process, int port) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return true;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    int port() {
        return port;
    }

    String logText() {
        return readLog(log);
    }

    void stop() {
        RunAs.stop(process);
    }

    private static String readLog(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
