package dev.delegator.plan;

import java.util.List;

/** apply refused to start because the plan has blockers; nothing was changed. */
public class PlanRefusedException extends RuntimeException {
    private final List<Blocker> blockers;

    public PlanRefusedException(List<Blocker> blockers) {
        super(message(blockers));
        this.blockers = List.copyOf(blockers);
    }

    public List<Blocker> blockers() {
        return blockers;
    }

    /** SYSTEM when any blocker is about sshd's config, else REFUSED. */
    public Blocker.Kind kind() {
        return blockers.stream().anyMatch(b -> b.kind() == Blocker.Kind.SYSTEM) && blockers.stream().allMatch(b -> b.kind() == Blocker.Kind.SYSTEM)
                ? Blocker.Kind.SYSTEM : Blocker.Kind.REFUSED;
    }

    private static String message(List<Blocker> blockers) {
        String first = blockers.get(0).message();
        return "nothing applied: " + first + (blockers.size() > 1 ? " (and " + (blockers.size() - 1) + " more; see delegator plan)" : "");
    }
}
