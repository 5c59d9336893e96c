package dev.delegator.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One external command the demo runs: a fixed argv (never a shell line), a clean environment
 * (PATH, LANG and what the step adds: nothing leaks from the admin's shell into the demo), an
 * optional account to run as (through {@code setpriv}, which execs the command so its pid is the
 * command's own), a working directory and a time limit.
 */
public final class Command {
    /** The PATH every demo command gets. */
    public static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final List<String> argv;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Optional<String> user = Optional.empty();
    private Optional<Path> dir = Optional.empty();
    private Duration timeout = Duration.ofSeconds(60);
    private boolean holdStdin;

    private Command(List<String> argv) {
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

    /** Runs as {@code name} (root only), with that account's groups. */
    public Command as(String name) {
        this.user = Optional.of(name);
        return this;
    }

    public Command env(String name, String value) {
        env.put(name, value);
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

    private static String primaryGroup(String user) {
        Result r = Command.of("id", "-g", user).run();
        if (r.status() != 0) {
            throw new DemoFailure("no account " + user + ": " + r.firstErrorLine());
        }
        return r.out().strip();
    }

    private ProcessBuilder builder() {
        ProcessBuilder pb = new ProcessBuilder(argv());
        pb.environment().clear();
        pb.environment().putAll(env);
        dir.ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(holdStdin ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb;
    }

    /** Runs to the end, capturing stdout and stderr. */
    public Result run() {
        return run(line -> { });
    }

    /** Runs to the end; every line of stdout and stderr also goes to {@code lines} as it arrives. */
    public Result run(Consumer<String> lines) {
        try {
            Process p = builder().start();
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            Thread errReader = new Thread(() -> pump(p.getErrorStream(), err, lines), "demo-stderr");
            errReader.setDaemon(true);
            errReader.start();
            pump(p.getInputStream(), out, lines);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DemoFailure(display() + " did not finish within " + timeout.toSeconds() + " s");
            }
            errReader.join(timeout.toMillis());
            p.getOutputStream().close();
            synchronized (err) {
                return new Result(display(), p.exitValue(), out.toString(), err.toString());
            }
        } catch (IOException e) {
            throw new DemoFailure("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure(display() + " was interrupted", e);
        }
    }

    /** Runs and fails the step with the command's first error line unless it exits 0. */
    public Result check() {
        Result r = run();
        if (r.status() != 0) {
            throw new DemoFailure(display() + " failed (exit " + r.status() + "): " + r.firstErrorLine());
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
            throw new DemoFailure("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
    }

    private static void pump(java.io.InputStream in, StringBuilder into, Consumer<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (into) {
                    into.append(line).append('\n');
                }
                synchronized (lines) {
                    lines.accept(line);
                }
            }
        } catch (IOException e) {
            // the process went away; what was read is kept
        }
    }

    /** What a finished command gave. */
    public record Result(String command, int status, String out, String err) {
        /** stderr's (else stdout's) first non-blank line. */
        public String firstErrorLine() {
            for (String s : new String[] {err, out}) {
                for (String line : s.split("\n")) {
                    if (!line.isBlank()) {
                        return line.strip();
                    }
                }
            }
            return "no output";
        }
    }
}
