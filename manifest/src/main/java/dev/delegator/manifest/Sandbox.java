package dev.delegator.manifest;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Limits the dispatcher applies before running a verb (see docs/interfaces.md).
 *
 * @param network {@code NONE} runs the verb without network (needs user namespaces); default {@code FULL}
 * @param timeout wall-clock limit; {@link Duration#ZERO} means none (the default)
 * @param processes RLIMIT_NPROC, empty for no limit
 * @param memory RLIMIT_AS in bytes, empty for no limit
 * @param filesize RLIMIT_FSIZE in bytes, empty for no limit
 */
public record Sandbox(Network network, Duration timeout, OptionalLong processes, OptionalLong memory, OptionalLong filesize) {
    public enum Network { NONE, FULL }

    /** No limits beyond the dispatcher's fixed ones (minimal environment, no_new_privs). */
    public static final Sandbox DEFAULT = new Sandbox(Network.FULL, Duration.ZERO, OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    public Sandbox {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(filesize, "filesize");
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
