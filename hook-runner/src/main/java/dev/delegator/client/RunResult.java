package dev.delegator.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one run on one host ended.
 *
 * @param outcome what happened
 * @param exitStatus the status the caller should exit with, by DESIGN.md's rule: the remote
 *     status; 128+N for a signal; 124 for the timeout; 255 for connection, authentication and
 *     host-key failures and a lost connection; 128+N when cancelled by local signal N
 * @param signal the remote signal name (e.g. "TERM") when {@link Outcome#SIGNALLED}
 * @param message one line saying why, for every outcome other than {@link Outcome#EXITED}
 * @param duration from the first connect attempt to the end
 * @param bytesOut remote stdout bytes relayed
 * @param bytesErr remote stderr bytes relayed
 */
public record RunResult(
        Outcome outcome, int exitStatus, Optional<String> signal, Optional<String> message,
        Duration duration, long bytesOut, long bytesErr) {

    /** Exit status for a timeout (as coreutils timeout). */
    public static final int TIMEOUT = 124;
    /** Base for "killed by signal N". */
    public static final int SIGNAL_BASE = 128;
    /** Connection, authentication, host-key failure or lost connection (as ssh). */
    public static final int CONNECTION = 255;

    /** How a run ended. */
    public enum Outcome {
        /** The remote command exited with a status. */
        EXITED,
        /** The remote command was killed by a signal. */
        SIGNALLED,
        /** --timeout expired; the channel was closed. */
        TIMED_OUT,
        /** No session: connection refused/unreachable/timed out, host key or authentication refused. */
        CONNECTION_FAILED,
        /** The channel closed with neither exit status nor signal. */
        CONNECTION_LOST,
        /** Cancelled locally (Ctrl-C, SIGTERM); the channel was closed. */
        CANCELLED
    }

    public RunResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(duration, "duration");
        if (exitStatus < 0 || exitStatus > 255) {
            throw new IllegalArgumentException("exitStatus (" + exitStatus + ") must be in 0..255");
        }
    }

    /** True only for a remote exit status of 0. */
    public boolean succeeded() {
        return outcome == Outcome.EXITED && exitStatus == 0;
    }

    /** True when the host was never reached or the connection broke (the 255 cases). */
    public boolean unreachable() {
        return outcome == Outcome.CONNECTION_FAILED || outcome == Outcome.CONNECTION_LOST;
    }
}
