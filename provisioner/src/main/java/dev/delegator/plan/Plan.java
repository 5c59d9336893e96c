package dev.delegator.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What apply would do on this host: steps in execution order, blockers that stop apply, and
 * notices for the admin (a caller key to paste into a remote host's manifest, a line waiting for
 * {@code callerPublicKey}).
 *
 * @param steps the work, in order
 * @param blockers reasons apply must refuse; apply changes nothing when there is one
 * @param notices informational lines
 * @param delegations the delegations with a side on this host, with which side
 */
public record Plan(List<Step> steps, List<Blocker> blockers, List<String> notices, List<Side> delegations) {
    /** Which part of a delegation lives on this host. */
    public record Side(String delegation, boolean callerHere, boolean delegateHere) {
        public String display() {
            return callerHere && delegateHere ? "caller+delegate" : callerHere ? "caller" : "delegate";
        }
    }

    public Plan {
        steps = List.copyOf(steps);
        blockers = List.copyOf(blockers);
        notices = List.copyOf(notices);
        delegations = List.copyOf(delegations);
    }

    /** Every change, in execution order. */
    public List<Change> changes() {
        List<Change> out = new ArrayList<>();
        for (Step s : steps) {
            out.addAll(s.changes());
        }
        return out;
    }

    /** True when apply would change nothing. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
