package dev.delegator.plan;

import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state of a delegation on this host, as {@code delegator list} shows it.
 *
 * @param name the delegation
 * @param side {@code caller}, {@code delegate} or {@code caller+delegate}
 * @param state ok, drift (applied but something differs), missing (not applied yet), expired
 * @param expires when its key expires on this host, if it does
 * @param details the pending changes behind drift/missing
 */
public record DelegationStatus(String name, String side, State state, Optional<Instant> expires, List<String> details) {
    public enum State { OK, DRIFT, MISSING, EXPIRED }

    public DelegationStatus {
        details = List.copyOf(details);
    }

    /** The status of every delegation with a side on this host, in manifest order. */
    public static List<DelegationStatus> list(Manifest m, Target t) throws IOException {
        Plan plan = Planner.plan(m, t);
        DelegationState state = DelegationState.read(t.layout().stateFile());
        Instant now = t.clock().instant();
        List<DelegationStatus> out = new ArrayList<>();
        for (Plan.Side side : plan.delegations()) {
            Delegation d = m.delegation(side.delegation()).orElseThrow();
            List<Change> mine = plan.changes().stream().filter(c -> c.delegation().filter(side.delegation()::equals).isPresent()).toList();
            Optional<Instant> expiry = side.delegateHere()
                    ? d.expires().map(e -> e.resolve(state.since(d.name()).orElse(now)))
                    : Optional.empty();
            boolean waiting = side.delegateHere() && !side.callerHere() && d.callerPublicKey().isEmpty();
            boolean missing = waiting || mine.stream().anyMatch(c -> c.action() == Action.CREATE
                    && (c.category() == Category.AUTHORIZED_KEYS || c.category() == Category.KEYS || c.category() == Category.USERS_AND_GROUPS));
            List<String> details = new ArrayList<>(mine.stream().map(Change::display).toList());
            if (waiting) {
                details.add("waiting for callerPublicKey (apply on " + d.caller().host() + " prints it)");
            }
            State s = missing ? State.MISSING : !mine.isEmpty() ? State.DRIFT
                    : expiry.isPresent() && !expiry.get().isAfter(now) ? State.EXPIRED : State.OK;
            out.add(new DelegationStatus(d.name(), side.display(), s, expiry, details));
        }
        return out;
    }
}
