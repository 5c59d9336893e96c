package dev.delegator.cli.agent;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where the caller's agent listens: {@code $DELEGATOR_AGENT_DIR}, else
 * {@code $XDG_RUNTIME_DIR/delegator-agent}, else {@code /tmp/delegator-agent-UID}. The directory is
 * the first lock: it must be a real directory (not a symbolic link) owned by this process's uid with
 * no permission for group or others (0700), so no other user can reach, replace or plant the socket
 * in it; the peer uid check on every connection is the second.
 */
public final class AgentDirectory {
    static final String SOCKET = "agent.sock";
    static final String LOG = "agent.log";
    static final String LOCK = "start.lock";

    private AgentDirectory() {}

    /** The directory for this caller (not checked). */
    public static Path of(Map<String, String> env) {
        String explicit = env.get("DELEGATOR_AGENT_DIR");
        if (explicit != null && !explicit.isEmpty()) {
            return Path.of(explicit).toAbsolutePath();
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime, "delegator-agent");
        }
        return Path.of("/tmp", "delegator-agent-" + uid());
    }

    /** This process's uid. */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read this process's uid from /proc/self: " + e.getMessage(), e);
        }
    }

    /** Why {@code dir} must not be used, or empty when it is ours and 0700. */
    static Optional<String> problem(Path dir) {
        try {
            Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode,isDirectory,isSymbolicLink", LinkOption.NOFOLLOW_LINKS);
            if (!(Boolean) a.get("isDirectory") || (Boolean) a.get("isSymbolicLink")) {
                return Optional.of(dir + " is not a directory");
            }
            int uid = (Integer) a.get("uid");
            if (uid != uid()) {
                return Optional.of(dir + " belongs to uid " + uid + ", not to this caller (uid " + uid() + ")");
            }
            int mode = (Integer) a.get("mode");
            if ((mode & 077) != 0) {
                return Optional.of(dir + " has mode " + String.format("%04o", mode & 07777) + "; it must be 0700");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot read " + dir + ": " + e.getMessage());
        }
    }

    /** Creates {@code dir} (0700) if missing; empty when it is then safe to use, else why not. */
    static Optional<String> ensure(Path dir) {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // checked below, whoever made it
        } catch (IOException e) {
            return Optional.of("cannot create " + dir + ": " + e.getMessage());
        }
        return problem(dir);
    }
}
