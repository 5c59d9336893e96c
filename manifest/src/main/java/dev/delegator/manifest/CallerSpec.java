package dev.delegator.manifest;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Who starts the delegation: the caller account and the host it runs on.
 *
 * @param user the caller's Linux account (hg, git, a CI runner)
 * @param host the host the caller runs on; {@code localhost} (the default) for this machine
 * @param reuse connection reuse (README "Connection reuse"): how long the caller's agent keeps the
 *     authenticated connection open after a request; empty (the default) for a connection per run
 */
public record CallerSpec(String user, String host, Optional<Duration> reuse) {
    /** A caller without connection reuse. */
    public CallerSpec(String user, String host) {
        this(user, host, Optional.empty());
    }

    public CallerSpec {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(reuse, "reuse");
        if (reuse.isPresent() && (reuse.get().isNegative() || reuse.get().isZero())) {
            throw new IllegalArgumentException("caller reuse (" + reuse.get() + ") must be positive");
        }
        if (!Names.isLinuxName(user)) {
            throw new IllegalArgumentException("caller user (" + user + ") is not a valid Linux user name");
        }
    }
}
