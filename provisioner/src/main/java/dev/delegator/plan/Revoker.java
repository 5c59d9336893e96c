package dev.delegator.plan;

import dev.delegator.accounts.PosixUser;
import dev.delegator.authorizedkeys.AuthorizedKeysException;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.manifest.Delegation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Takes a delegation away on this host, from what is on disk (it works when the delegation is
 * already gone from the manifest): its authorized_keys line (found by its {@code delegator:NAME}
 * comment), its dispatcher config, its sudoers rule (capabilities), its caller key directories, its first-apply time, and with
 * {@code removeUser} the delegate account delegator created. The line goes first: from then on
 * the key is denied. This is a {@link Plan} like apply's, carried out by the same
 * {@link Applier}, so {@code revoke --dry-run} shows it and a blocker stops it before any change.
 */
public final class Revoker {
    private final PlanBuilder b;
    private final String name;
    /** True when some authorized_keys file keeps another delegation's line after this revoke. */
    private boolean delegateStillUsed;

    private Revoker(Target t, String name) {
        this.b = new PlanBuilder(t);
        this.name = name;
    }

    /**
     * What revoking {@code name} would do on {@code target}; only reads.
     *
     * @param fromManifest the delegation as the manifest declares it, if it still does (names the delegate user)
     * @param removeUser also remove the delegate account; an account delegator did not create is a blocker
     * @return the plan; empty when nothing of the delegation is on this host
     */
    public static Plan plan(String name, Optional<Delegation> fromManifest, boolean removeUser, Target target) throws IOException {
        return new Revoker(target, name).run(fromManifest.map(d -> d.delegate().user()), removeUser);
    }

    /**
     * Revokes {@code name}: {@link #plan} under the apply lock, executed by {@link Applier}.
     *
     * @return what was done ({@link Applier.Result#executed}); its plan is empty when nothing of the delegation was found
     * @throws PlanRefusedException when the plan has a blocker (with {@code removeUser}, an account delegator did not create); nothing was changed
     */
    public static Applier.Result revoke(String name, Optional<Delegation> fromManifest, boolean removeUser, Target target,
                                        Applier.Options options) throws IOException {
        return Applier.execute(t -> plan(name, fromManifest, removeUser, t), target, options);
    }

    private Plan run(Optional<String> declaredUser, boolean removeUser) throws IOException {
        Optional<String> delegateUser = declaredUser;
        for (Path p : PlanBuilder.list(b.layout.authorizedKeysDir())) {
            if (!p.getFileName().toString().startsWith(".") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && planLineRemoval(p)) {
                delegateUser = delegateUser.or(() -> Optional.of(p.getFileName().toString()));
            }
        }
        Path conf = b.layout.dispatchConf(name);
        FileSnapshot cs = AtomicFile.read(conf);
        if (cs.exists()) {
            b.steps.add(new DeleteStep(Change.of(Category.DISPATCH, Action.REMOVE, conf.toString(), "revoked", name), cs));
        }
        Path sudoers = b.layout.sudoersFile(name);
        FileSnapshot ss = AtomicFile.read(sudoers);
        if (ss.exists()) {
            b.steps.add(new DeleteStep(Change.of(Category.GRANTS, Action.REMOVE, sudoers.toString(), "revoked", name), ss));
        }
        for (Path callerDir : PlanBuilder.list(b.layout.callersDir())) {
            Path dir = callerDir.resolve(name);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                b.steps.add(new DeleteTreeStep(Change.of(Category.KEYS, Action.REMOVE, "key directory " + dir, "revoked", name), dir));
            }
        }
        DelegationState state = DelegationState.read(b.layout.stateFile());
        if (state.since(name).isPresent()) {
            Map<String, Instant> since = new TreeMap<>(state.since());
            since.remove(name);
            b.steps.add(new StateStep(Change.of(Category.AUTHORIZED_KEYS, Action.UPDATE, b.layout.stateFile().toString(), "forget " + name, name), since));
        }
        // the delegate keeps cron and at denied while another delegation still uses the account
        if (delegateUser.isPresent() && !delegateStillUsed) {
            for (Path deny : List.of(b.layout.cronDeny(), b.layout.atDeny())) {
                planUndeny(deny, delegateUser.get());
            }
        }
        if (removeUser && delegateUser.isPresent()) {
            planUserRemoval(delegateUser.get());
        }
        return new Plan(b.steps, b.blockers, b.notices, List.of());
    }

    /** Plans taking the delegation's line out of one authorized_keys file; true when the file has it. */
    private boolean planLineRemoval(Path p) throws IOException {
        FileSnapshot snap = AtomicFile.read(p);
        AuthorizedKeysStep.Block without = AuthorizedKeysStep.Block.without(name);
        try {
            AuthorizedKeysFile f = AuthorizedKeysFile.parse(snap.text(), p.toString());
            if (without.lines(f).size() == f.managedLines().size()) {
                return false;
            }
            delegateStillUsed |= !without.lines(f).isEmpty();
            // the rendering the step will do, now: a file the engine refuses blocks before anything changes
            AuthorizedKeysStep.render(snap, without);
        } catch (AuthorizedKeysException e) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, p + ": " + e.getMessage() + " (fail closed: fix the file by hand, then revoke)"));
            return false;
        }
        b.steps.add(new AuthorizedKeysStep(List.of(Change.of(Category.AUTHORIZED_KEYS, Action.REMOVE, "line for " + name + " in " + p, "revoked", name)),
                p, without, snap));
        return true;
    }

    /** Plans taking {@code user} out of delegator's block in {@code deny}, keeping the file's owner, mode and other lines. */
    private void planUndeny(Path deny, String user) throws IOException {
        FileStatus st = FileStatus.of(deny);
        if (st.kind() != FileStatus.Kind.FILE) {
            return;
        }
        String text = AtomicFile.read(deny).text();
        java.util.SortedSet<String> users = SchedulerDeny.users(text);
        if (users.remove(user)) {
            b.planFile(Category.SCHEDULERS, deny, SchedulerDeny.render(text, users).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    new FileOwner(st.user(), st.group()), st.mode(), name, installed -> "take " + user + " out of delegator's block (revoked)");
        }
    }

    private void planUserRemoval(String user) {
        Optional<PosixUser> u = b.known.user(user);
        if (u.isEmpty()) {
            return;
        }
        if (!u.get().ownedByDelegator()) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "--remove-user: account " + user + " (uid " + u.get().uid()
                    + ") was not created by delegator (its GECOS is '" + u.get().gecos() + "', not 'delegator=...'); delegator never removes it:"
                    + " revoke without --remove-user"));
            return;
        }
        b.steps.add(new DeleteUserStep(name, user));
    }
}
