package dev.delegator.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code delegator verify} found on one host of a delegation.
 *
 * @param target the host probed
 * @param connectionFailure set when no authenticated session was reached (unreachable, host key
 *     changed, key refused): then there are no checks and the exit status is the run's (255)
 * @param checks every check, in the order tried
 */
public record ProbeReport(DelegationTarget target, Optional<RunResult> connectionFailure, List<ProbeCheck> checks) {
    public ProbeReport {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(connectionFailure, "connectionFailure");
        checks = List.copyOf(checks);
    }

    /** True when the session was reached and nothing was granted. */
    public boolean allRefused() {
        return connectionFailure.isEmpty() && checks.stream().noneMatch(c -> c.verdict() == ProbeCheck.Verdict.GRANTED);
    }
}
