package dev.delegator.systemtools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a system tool delegator relies on (useradd, getent, sshd -t, kill) with a fixed argv (no
 * shell), an empty stdin and a minimal environment, and captures its output.
 */
public final class SystemTool {
    private SystemTool() {}

    /** What a tool run gave. */
    public record Result(List<String> argv, int status, String stdout, String stderr) {
        public boolean ok() {
            return status == 0;
        }

        /** stderr's (else stdout's) first non-empty line, for one-line messages. */
        public String firstErrorLine() {
            for (String s : new String[] {stderr, stdout}) {
                for (String line : s.split("\n")) {
                    if (!line.isBlank()) {
                        return line.trim();
                    }
                }
            }
            return "exit status " + status;
        }
    }

    /** Runs {@code argv} and returns its result, whatever its exit status. */
    public static Result run(List<String> argv) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            String out = drain(p.getInputStream());
            int status = p.waitFor();
            return new Result(List.copyOf(argv), status, out, err.join());
        } catch (IOException e) {
            throw new SystemToolException(argv.get(0) + " could not be started: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SystemToolException(argv.get(0) + " was interrupted", e);
        }
    }

    /** Runs {@code argv} and fails with its first error line unless it exits 0. */
    public static Result check(List<String> argv) {
        Result r = run(argv);
        if (!r.ok()) {
            throw new SystemToolException(String.join(" ", argv) + " failed: " + r.firstErrorLine());
        }
        return r;
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
