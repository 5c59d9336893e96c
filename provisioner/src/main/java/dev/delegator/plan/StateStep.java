package dev.delegator.plan;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Records first-apply times of new delegations and forgets those no longer applied here. */
record StateStep(Change change, Map<String, Instant> since) implements Step {
    StateStep {
        since = new TreeMap<>(since);
    }

    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        DelegationState current = DelegationState.read(ex.target().layout().stateFile());
        current.write(since);
    }
}
