package dev.delegator.localsshd;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One real program to run (sshd, ssh, useradd, hg): a fixed argv (never a shell line), a clean
 * environment unless {@link #inheritEnvironment()} (PATH, LANG and what the caller adds: nothing
 * leaks from the shell that started the JVM), an optional account to run as (through
 * {@code setpriv}, which execs the program so its pid is the program's own), a working directory,
 * a stdin and a time limit (default 60 s). stdout is kept as bytes, stderr as text.
 */
public final class Command {
    /** The PATH a command gets unless the environment is inherited. */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final List<String> argv;
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean inheritEnvironment;
    private Optional<String> user = Optional.empty();
    private Optional<Path> dir = Optional.empty();
    private Duration timeout = Duration.ofSeconds(60);
    private byte[] stdin;
    private boolean holdStdin;

    private Command(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs at least the program");
        }
        this.argv = List.copyOf(argv);
        env.put("PATH", PATH);
        env.put("LANG", "C.UTF-8");
    }

    public static Command of(String... argv) {
        return new Command(List.of(argv));
    }

    public static Command of(List<String> argv) {
        return new Command(argv);
    }

    /** Runs as {@code name} (the JVM must be root), with that account's groups. */
    public Command as(String name) {
        this.user = Optional.of(name);
        return this;
    }

    public Command env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public Command env(Map<String, String> more) {
        env.putAll(more);
        return this;
    }

    /** Starts from the JVM's own environment (tests need CI, JAVA_HOME, …); {@link #env} still adds to it. */
    public Command inheritEnvironment() {
        this.inheritEnvironment = true;
        return this;
    }

    public Command in(Path directory) {
        this.dir = Optional.of(directory);
        return this;
    }

    public Command timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Writes {@code bytes} to the command's stdin, then closes it (default: stdin is /dev/null). */
    public Command stdin(byte[] bytes) {
        this.stdin = bytes.clone();
        return this;
    }

    /**
     * Gives the command a stdin pipe that stays open, without data, until it exits. An ssh client
     * whose stdin ends sends EOF on the channel, and the dispatcher takes that EOF as the caller
     * going away and ends the work; a caller keeps stdin open for as long as it wants the result.
     */
    public Command holdStdinOpen() {
        this.holdStdin = true;
        return this;
    }

    /** The argv that is really started (with the setpriv prefix when running as another user). */
    public List<String> argv() {
        List<String> full = new ArrayList<>();
        user.ifPresent(u -> full.addAll(List.of("setpriv", "--reuid=" + u, "--regid=" + primaryGroup(u), "--init-groups", "--")));
        full.addAll(argv);
        return full;
    }

    /** The command as the user would type it (for messages). */
    public String display() {
        return String.join(" ", argv);
    }

    /** The absolute path of a program on the JVM's PATH or in the sbin directories. */
    public static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return Optional.of(Path.of(d, program));
            }
        }
        return Optional.empty();
    }

    private static String primaryGroup(String user) {
        Result r = Command.of("id", "-g", user).run();
        if (r.status() != 0) {
            throw new Failed("no account " + user + ": " + r.firstErrorLine());
        }
        return r.out().strip();
    }

    private ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(argv());
        if (!inheritEnvironment) {
            pb.environment().clear();
        }
        pb.environment().putAll(env);
        dir.ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(holdStdin || stdin != null ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    /** Runs to the end, capturing stdout and stderr. */
    public Result run() {
        return run(null);
    }

    /**
     * Runs to the end; every line of stdout and stderr also goes to {@code lines} as it arrives (one
     * call at a time). On timeout the command and its descendants are killed and {@link TimedOut}
     * is thrown.
     */
    public Result run(Consumer<String> lines) {
        Process p;
        try {
            p = builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        Object lineLock = new Object();
        CompletableFuture<byte[]> out = drain(p.getInputStream(), lines, lineLock);
        CompletableFuture<byte[]> err = drain(p.getErrorStream(), lines, lineLock);
        OutputStream in = p.getOutputStream();
        try {
            if (stdin != null) {
                try (in) {
                    in.write(stdin);
                } catch (IOException ignored) {
                    // the program may exit without reading its stdin
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new TimedOut(display() + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(display(), p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(display() + " was interrupted", e);
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // already closed, or the program is gone
            }
        }
    }

    /** Runs and throws {@link Failed} with the command's first error line unless it exits 0. */
    public Result check() {
        Result r = run();
        if (r.status() != 0) {
            throw new Failed(display() + " failed (exit " + r.status() + "): " + r.firstErrorLine());
        }
        return r;
    }

    /** Starts in the background with stdout and stderr appended to {@code log}. */
    public Process start(Path log) {
        try {
            ProcessBuilder pb = builder();
            pb.redirectErrorStream(true);
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream, Consumer<String> lines, Object lineLock) {
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        // a thread of its own per stream: both must drain at once or a full stderr pipe blocks the program's stdout
        Thread t = new Thread(() -> {
            try (stream) {
                done.complete(pump(stream, lines, lineLock));
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "command-output");
        t.setDaemon(true);
        t.start();
        return done;
    }

    private static byte[] pump(InputStream in, Consumer<String> lines, Object lineLock) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) > 0) {
            all.write(buffer, 0, n);
            if (lines == null) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    emit(line, lines, lineLock);
                } else {
                    line.write(buffer[i]);
                }
            }
        }
        if (lines != null && line.size() > 0) {
            emit(line, lines, lineLock);
        }
        return all.toByteArray();
    }

    private static void emit(ByteArrayOutputStream line, Consumer<String> lines, Object lineLock) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        synchronized (lineLock) {
            lines.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
        }
    }

    /**
     * What a finished command gave.
     *
     * @param command the command as {@link #display()} shows it
     * @param outBytes stdout as it came
     */
    public record Result(String command, int status, byte[] outBytes, String err) {
        /** stdout decoded as UTF-8. */
        public String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        /** stderr's (else stdout's) first non-blank line. */
        public String firstErrorLine() {
            for (String s : new String[] {err, out()}) {
                for (String line : s.split("\n")) {
                    if (!line.isBlank()) {
                        return line.strip();
                    }
                }
            }
            return "no output";
        }
    }

    /** {@link #check()}: the command exited non-zero; the message is one line. */
    public static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message);
        }
    }

    /** The command ran past its time limit and was killed. */
    public static final class TimedOut extends RuntimeException {
        TimedOut(String message) {
            super(message);
        }
    }
}
