package dev.delegator.demo;

import dev.delegator.localsshd.Command;
import dev.delegator.localsshd.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * {@code hg serve} of the caller's repository, run as the caller on 127.0.0.1 at a free port,
 * with push allowed over plain HTTP (loopback only). The changegroup hook therefore runs as the
 * caller, and hg sends the hook's output back to the pusher as {@code remote:} lines.
 */
final class HgServe {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;

    private HgServe(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static HgServe start(DemoRun run, DemoState state) {
        Dirs.create(run.logs());
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = FreePorts.find();
            Process p = Command.of("hg", "serve", "--repository", run.repository().toString(), "--address", "127.0.0.1",
                            "--port", Integer.toString(port), "--config", "web.push_ssl=false", "--config", "web.allow-push=*",
                            "--accesslog", errorLog(run).resolveSibling("hg-access.log").toString(),
                            "--errorlog", errorLog(run).toString())
                    .as(run.caller()).env("HOME", run.callerHome().toString()).env("HGRCPATH", "")
                    .in(run.repository())
                    .start(run.logs().resolve("hg-serve.out"));
            state.putPid("hg-serve", p.pid());
            HgServe serve = new HgServe(p, port);
            if (serve.awaitListening()) {
                return serve;
            }
            serve.stop(state);
        }
        throw new DemoFailure("hg serve did not start: " + lastLine(run.logs().resolve("hg-serve.out")));
    }

    /** hg serve's error log, where the caller can write it (its home). */
    static java.nio.file.Path errorLog(DemoRun run) {
        return run.callerHome().resolve("hg-error.log");
    }

    private static String lastLine(java.nio.file.Path file) {
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "no output in " + file;
        } catch (IOException e) {
            return "no output in " + file;
        }
    }

    private boolean awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
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

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    long pid() {
        return process.pid();
    }

    void stop(DemoState state) {
        state.stop("hg-serve", process);
    }
}
