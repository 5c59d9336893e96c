package dev.delegator.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Appends one JSON line per run to the caller's audit log, optionally also to syslog.
 *
 * <p>The file is opened with O_APPEND and each line goes out in one write, so concurrent runs (a
 * fan-out, two hooks at once) never interleave within a line. A new file is created 0600 and a
 * new directory 0700: the log names delegations, hosts and requests.
 */
public final class AuditLog {
    private final Path file;
    private final boolean syslog;

    /**
     * @param file the log file
     * @param syslog also send each line to syslog through {@code logger -t delegator -p auth.info}
     */
    public AuditLog(Path file, boolean syslog) {
        this.file = Objects.requireNonNull(file, "file");
        this.syslog = syslog;
    }

    public Path file() {
        return file;
    }

    /**
     * The default log: {@code /var/lib/delegator/callers/<user>/audit.log} when that file exists and
     * is writable (delegator apply creates it for every caller it provisions), else {@code $XDG_STATE_HOME/delegator/audit.log}
     * ({@code ~/.local/state/delegator/audit.log} when XDG_STATE_HOME is unset).
     */
    public static Path defaultFile(String user, Map<String, String> env, Path home) {
        // created by delegator apply for every caller it provisions (the directory is root's)
        return defaultFile(Path.of("/var/lib/delegator/callers", user, "audit.log"), env, home);
    }

    /**
     * {@link #defaultFile(String, Map, Path)} with the provisioned log at {@code provisioned} (below
     * a {@code --root}, the caller directory of that layout).
     */
    public static Path defaultFile(Path provisioned, Map<String, String> env, Path home) {
        if (Files.isRegularFile(provisioned) && Files.isWritable(provisioned)) {
            return provisioned;
        }
        String xdg = env.get("XDG_STATE_HOME");
        Path state = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : home.resolve(".local/state");
        return state.resolve("delegator/audit.log");
    }

    /** Appends the record; an I/O problem is returned (the run's exit status must not depend on it). */
    public Optional<String> append(AuditRecord record) {
        byte[] line = (record.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            try (FileChannel ch = FileChannel.open(file, List.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND).stream().collect(java.util.stream.Collectors.toSet()),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot append to the audit log " + file + ": " + e.getMessage());
        }
        if (syslog) {
            return toSyslog(record.toJson());
        }
        return Optional.empty();
    }

    private static Optional<String> toSyslog(String json) {
        try {
            Process p = new ProcessBuilder("logger", "-t", "delegator", "-p", "auth.info", "--", json)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("logger did not finish within 5 s");
            }
            return p.exitValue() == 0 ? Optional.empty() : Optional.of("logger exited " + p.exitValue());
        } catch (IOException e) {
            return Optional.of("cannot run logger: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while sending to syslog");
        }
    }
}
