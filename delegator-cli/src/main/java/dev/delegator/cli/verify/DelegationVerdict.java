package dev.delegator.cli.verify;

import dev.delegator.client.ProbeCheck;
import dev.delegator.client.ProbeReport;
import dev.delegator.plan.HostView;
import java.util.List;
import java.util.Optional;

/**
 * Everything verify found for one delegation.
 *
 * @param delegation its name ("-" for the explicit form)
 * @param probes one report per host probed
 * @param probeSkipped why no host was probed, when none was (the caller key lives on another host)
 * @param hostView the delegate host's findings, when verify ran there as root
 * @param hostViewSkipped why there is no host view, when there is none
 */
record DelegationVerdict(String delegation, List<ProbeReport> probes, Optional<String> probeSkipped,
        List<HostView.Finding> hostView, Optional<String> hostViewSkipped) {

    /** Checks that failed: a granted probe or a host-view problem. */
    long failed() {
        long granted = probes.stream().flatMap(p -> p.checks().stream()).filter(c -> c.verdict() == ProbeCheck.Verdict.GRANTED).count();
        return granted + hostView.stream().filter(f -> !f.held()).count();
    }

    /** Checks made (refused, granted, or a host-view finding); not-tried ones do not count. */
    long made() {
        long probed = probes.stream().flatMap(p -> p.checks().stream()).filter(c -> c.verdict() != ProbeCheck.Verdict.NOT_TRIED).count();
        return probed + hostView.size();
    }

    /** Hosts that could not be reached, authenticated or verified. */
    long unreachable() {
        return probes.stream().filter(p -> p.connectionFailure().isPresent()).count();
    }
}
