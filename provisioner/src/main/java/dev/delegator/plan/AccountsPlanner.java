package dev.delegator.plan;

import dev.delegator.accounts.Accounts;
import dev.delegator.accounts.PosixGroup;
import dev.delegator.accounts.PosixUser;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.Resource;
import dev.delegator.manifest.SharedGroup;
import dev.delegator.sshdconfig.DropIn;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/** Plans users and groups: the delegator group, shared groups, delegate accounts (created, or repaired when delegator owns them; a foreign account blocks). */
final class AccountsPlanner {
    private final PlanBuilder b;

    AccountsPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planAccounts(Manifest m, List<Delegation> delegateSide) {
        if (delegateSide.isEmpty()) {
            return;
        }
        Set<Integer> takenGids = new HashSet<>();
        Set<Integer> takenUids = new HashSet<>();
        if (b.known.group(DropIn.GROUP).isEmpty()) {
            b.steps.add(new GroupStep(DropIn.GROUP, OptionalInt.empty(), "every delegate is in it; the sshd drop-in matches on it"));
        }
        Map<String, SharedGroup> declared = new LinkedHashMap<>();
        for (SharedGroup g : m.groups()) {
            declared.put(g.name(), g);
        }
        Set<String> delegateUsers = new HashSet<>();
        delegateSide.forEach(d -> delegateUsers.add(d.delegate().user()));
        Set<String> needed = new LinkedHashSet<>();
        for (Delegation d : delegateSide) {
            needed.addAll(d.delegate().groups());
            for (Resource r : d.resources()) {
                r.group().filter(g -> !delegateUsers.contains(g)).ifPresent(needed::add);
            }
        }
        for (String g : needed) {
            if (b.known.group(g).isPresent()) {
                continue;
            }
            SharedGroup sg = declared.get(g);
            if (sg == null) {
                b.blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "group " + g
                        + " does not exist on this host and is not declared under 'groups:' in the manifest; declare it or create it"));
                continue;
            }
            OptionalInt gid = sg.gid();
            if (gid.isEmpty() && m.gidRange().isPresent()) {
                gid = b.freeId(m.gidRange().get(), true, takenGids);
                if (gid.isEmpty()) {
                    b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "gidRange " + m.gidRange().get() + " has no free gid left for group " + g));
                    continue;
                }
            }
            gid.ifPresent(takenGids::add);
            b.steps.add(new GroupStep(g, gid, "shared group declared in the manifest"));
        }
        for (Delegation d : delegateSide) {
            var spec = d.delegate();
            List<String> groups = new ArrayList<>();
            groups.add(DropIn.GROUP);
            groups.addAll(spec.groups());
            Optional<PosixUser> u = b.known.user(spec.user());
            if (u.isEmpty()) {
                OptionalInt uid = spec.uid();
                if (uid.isEmpty() && m.uidRange().isPresent()) {
                    uid = b.freeId(m.uidRange().get(), false, takenUids);
                    if (uid.isEmpty()) {
                        b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "uidRange " + m.uidRange().get() + " has no free uid left for " + spec.user()));
                        continue;
                    }
                }
                uid.ifPresent(takenUids::add);
                OptionalInt gid = OptionalInt.empty();
                if (m.gidRange().isPresent() && b.known.group(spec.user()).isEmpty()) {
                    gid = b.freeId(m.gidRange().get(), true, takenGids);
                    gid.ifPresent(takenGids::add);
                }
                b.steps.add(new CreateUserStep(d.name(), spec, uid, gid, groups));
                continue;
            }
            PosixUser user = u.get();
            if (!user.ownedByDelegator()) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": " + Accounts.foreignMessage(user)));
                continue;
            }
            if (spec.uid().isPresent() && spec.uid().getAsInt() != user.uid()) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": user " + user.name() + " has uid " + user.uid()
                        + " but the manifest says " + spec.uid().getAsInt() + "; delegator does not renumber accounts (revoke --remove-user, then apply)"));
                continue;
            }
            List<String> reasons = new ArrayList<>();
            if (!user.shell().equals(Accounts.SHELL)) {
                reasons.add("shell " + user.shell() + ", want " + Accounts.SHELL);
            }
            if (!user.home().equals(spec.home())) {
                reasons.add("home " + user.home() + ", want " + spec.home());
            } else if (!Files.isDirectory(spec.home())) {
                reasons.add("home " + spec.home() + " missing");
            }
            Set<String> have = b.known.groupsOf(user.name());
            have.remove(user.name());
            b.known.group(user.gid()).map(PosixGroup::name).ifPresent(have::remove);
            Set<String> want = new TreeSet<>(groups);
            if (!have.equals(want)) {
                Set<String> missing = new TreeSet<>(want);
                missing.removeAll(have);
                Set<String> extra = new TreeSet<>(have);
                extra.removeAll(want);
                if (!missing.isEmpty()) {
                    reasons.add("not in group " + String.join(",", missing));
                }
                if (!extra.isEmpty()) {
                    reasons.add("in undeclared group " + String.join(",", extra));
                }
            }
            String pw = b.known.passwordField(user.name()).orElse("*");
            if (!pw.equals("*")) {
                reasons.add(pw.startsWith("!") ? "account locked (password field " + pw + "), sshd would refuse its key" : "has a password, want '*'");
            }
            if (!reasons.isEmpty()) {
                b.steps.add(new RepairUserStep(d.name(), user.name(), spec.home(), groups, reasons));
            }
        }
    }
}
