package dev.delegator.manifest;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Limits the dispatcher applies before running a verb (see docs/interfaces.md).
 *
 * @param network {@code NONE} runs the verb without network (needs user namespaces); {@code LOOPBACK}
 *     with the host's loopback only (an nftables rule apply installs for the delegate's uid); default {@code FULL}
 * @param timeout wall-clock limit; {@link Duration#ZERO} means none (the default)
 * @param processes RLIMIT_NPROC, empty for no limit
 * @param memory RLIMIT_AS in bytes, empty for no limit
 * @param filesize RLIMIT_FSIZE in bytes, empty for no limit
 * @param filesystem {@code HOST} (the default) shows the work the host's filesystem with the
 *     delegate's rights; {@code JAIL} runs it in a bubblewrap mount namespace that shows a
 *     read-only system and writable only its home and the delegation's resources
 */
public record Sandbox(Network network, Duration timeout, OptionalLong processes, OptionalLong memory, OptionalLong filesize,
        Filesystem filesystem) {
    public enum Network { NONE, LOOPBACK, FULL }

    public enum Filesystem { HOST, JAIL }

    /** No limits beyond the dispatcher's fixed ones (minimal environment, no_new_privs). */
    public static final Sandbox DEFAULT = new Sandbox(Network.FULL, Duration.ZERO, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), Filesystem.HOST);

    /** The host's filesystem: the form from before {@code filesystem} existed. */
    public Sandbox(Network network, Duration timeout, OptionalLong processes, OptionalLong memory, OptionalLong filesize) {
        this(network, timeout, processes, memory, filesize, Filesystem.HOST);
    }

    public Sandbox {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(filesize, "filesize");
        Objects.requireNonNull(filesystem, "filesystem");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout (" + timeout + ") must not be negative");
        }
        for (OptionalLong v : new OptionalLong[] {processes, memory, filesize}) {
            if (v.isPresent() && v.getAsLong() < 1) {
                throw new IllegalArgumentException("sandbox limit (" + v.getAsLong() + ") must be positive");
            }
        }
    }
}
