package dev.delegator.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How patient a run is.
 *
 * @param connectTimeout TCP connect plus key exchange (default 10 s)
 * @param authTimeout public-key authentication (default 10 s)
 * @param heartbeat interval of keepalive requests, so a long silent deploy is not cut by a NAT or
 *     an idle firewall, and a dead peer is noticed (default 15 s; after 4 unanswered the run ends with 255)
 * @param timeout wall-clock limit for the command once its channel is open; empty = none (exit 124)
 * @param retries how often to retry a connection failure (refused, unreachable, timed out, dropped
 *     before the server identified itself); never retried: host-key and authentication failures,
 *     and anything after the command started
 * @param retryDelay pause before the first retry, doubled for each further one (default 1 s)
 */
public record RunOptions(
        Duration connectTimeout, Duration authTimeout, Duration heartbeat, Optional<Duration> timeout,
        int retries, Duration retryDelay) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    public RunOptions {
        positive("connectTimeout", connectTimeout);
        positive("authTimeout", authTimeout);
        positive("heartbeat", heartbeat);
        Objects.requireNonNull(timeout, "timeout");
        timeout.ifPresent(t -> positive("timeout", t));
        if (retries < 0 || retries > 100) {
            throw new IllegalArgumentException("retries (" + retries + ") must be in 0..100");
        }
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retryDelay (" + retryDelay + ") must not be negative");
        }
    }

    /** The defaults: 10 s connect and auth timeouts, 15 s heartbeat, no command timeout, no retries. */
    public static RunOptions defaults() {
        return new RunOptions(DEFAULT_CONNECT_TIMEOUT, DEFAULT_AUTH_TIMEOUT, DEFAULT_HEARTBEAT,
                Optional.empty(), 0, Duration.ofSeconds(1));
    }

    public RunOptions withTimeout(Duration t) {
        return new RunOptions(connectTimeout, authTimeout, heartbeat, Optional.ofNullable(t), retries, retryDelay);
    }

    public RunOptions withRetries(int n) {
        return new RunOptions(connectTimeout, authTimeout, heartbeat, timeout, n, retryDelay);
    }

    public RunOptions withConnectTimeout(Duration t) {
        return new RunOptions(t, authTimeout, heartbeat, timeout, retries, retryDelay);
    }

    public RunOptions withHeartbeat(Duration d) {
        return new RunOptions(connectTimeout, authTimeout, d, timeout, retries, retryDelay);
    }

    public RunOptions withRetryDelay(Duration d) {
        return new RunOptions(connectTimeout, authTimeout, heartbeat, timeout, retries, d);
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " (" + d + ") must be positive");
        }
    }
}
