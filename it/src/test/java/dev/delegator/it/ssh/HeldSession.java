package dev.delegator.it.ssh;

import dev.delegator.testkit.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A running ssh client whose stdin the test holds open. The remote side (the stand-in forced
 * command in {@code hold} mode) prints a line and waits for stdin to end, so forwarded ports stay
 * up for exactly as long as the test needs them.
 */
public final class HeldSession implements AutoCloseable {
    private final Process process;
    private final List<String> argv;
    // ByteArrayOutputStream is synchronized: the reader thread writes, the test reads
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final CompletableFuture<Void> stdoutDone;
    private final CompletableFuture<String> stderr;

    private HeldSession(Process process, List<String> argv) {
        this.process = process;
        this.argv = argv;
        this.stdoutDone = CompletableFuture.runAsync(() -> copyInto(process.getInputStream(), stdout));
        this.stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    }

    static HeldSession start(List<String> argv, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(env);
        try {
            return new HeldSession(pb.start(), argv);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv, e);
        }
    }

    /** Waits until stdout contains {@code text}; fails if the client exits first or after the safety-net timeout. */
    public void awaitStdout(String text) {
        long deadline = System.nanoTime() + Ssh.TIMEOUT.toNanos();
        while (!stdout.toString(StandardCharsets.UTF_8).contains(text)) {
            if (!process.isAlive() && stdoutDone.isDone()) {
                throw new AssertionError("ssh exited before printing '" + text + "': " + finish());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("no '" + text + "' from " + argv + " within " + Ssh.TIMEOUT + ": " + stdout.toString(StandardCharsets.UTF_8));
            }
            sleep();
        }
    }

    /** Closes stdin (the remote side sees EOF and ends) and returns what the client did. */
    public CommandResult release() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the client may already be gone; finish() reports how it ended
        }
        return finish();
    }

    private CommandResult finish() {
        try {
            if (!process.waitFor(Ssh.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("ssh did not end within " + Ssh.TIMEOUT + ": " + argv);
            }
            stdoutDone.join();
            return new CommandResult(process.exitValue(), stdout.toByteArray(), stderr.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + argv, e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    private static void copyInto(InputStream in, ByteArrayOutputStream into) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                into.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
