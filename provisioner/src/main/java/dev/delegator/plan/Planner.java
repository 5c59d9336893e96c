package dev.delegator.plan;

import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a manifest with this machine and produces the {@link Plan} that makes the machine
 * match it: for each delegation, its delegate side when one of its hosts is this machine, its
 * caller side when its caller runs here. Planning only reads (files, {@code getent},
 * {@code sshd -T}); it never changes anything.
 */
public final class Planner {
    private final PlanBuilder b;

    private Planner(Target t) {
        this.b = new PlanBuilder(t);
    }

    /** The plan for {@code manifest} on {@code target}. */
    public static Plan plan(Manifest manifest, Target target) throws IOException {
        return new Planner(target).run(manifest);
    }

    private Plan run(Manifest m) throws IOException {
        List<Delegation> delegateSide = new ArrayList<>();
        List<Delegation> callerSide = new ArrayList<>();
        List<Plan.Side> sides = new ArrayList<>();
        for (Delegation d : m.delegations()) {
            boolean c = b.t.host().isCallerHere(d);
            boolean dl = b.t.host().isDelegateHere(d);
            if (c) {
                callerSide.add(d);
            }
            if (dl) {
                delegateSide.add(d);
            }
            if (c || dl) {
                sides.add(new Plan.Side(d.name(), c, dl));
            }
        }
        new AccountsPlanner(b).planAccounts(m, delegateSide);
        new SchedulersPlanner(b).planSchedulers(delegateSide);
        if (!delegateSide.isEmpty()) {
            new ScriptsPlanner(b).planScripts();
        }
        new DispatchPlanner(b).planDispatch(m, delegateSide);
        new GrantsPlanner(b).planGrants(delegateSide);
        new LoopbackPlanner(b).planLoopback(delegateSide);
        CallerPlanner callers = new CallerPlanner(b);
        callers.planCallerKeys(callerSide);
        callers.planKnownHosts(callerSide, m.hostCertificates());
        new CertificateRenewalPlanner(b).plan(callerSide);
        new AuthorizedKeysPlanner(b).planAuthorizedKeys(delegateSide, callerSide);
        new CertificatePlanner(b).plan(m, delegateSide);
        if (!delegateSide.isEmpty()) {
            new DropInPlanner(b).planDropIn(delegateSide, m.hostCertificates());
        }
        new ResourcesPlanner(b).planResources(delegateSide);
        new SandboxProbe(b).probe(delegateSide);
        return new Plan(b.steps, b.blockers, b.notices, sides);
    }
}
