package dev.delegator.plan;

import dev.delegator.accounts.ForeignAccountException;
import dev.delegator.accounts.PosixUser;
import dev.delegator.authorizedkeys.AuthorizedKeyLine;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.ApplyLock;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.manifest.Delegation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Takes a delegation away on this host, from what is on disk (it works when the delegation is
 * already gone from the manifest): its authorized_keys line (found by its {@code delegator:NAME}
 * comment), its dispatcher config, its caller key directories, its first-apply time, and with
 * {@code removeUser} the delegate account delegator created. The line goes first: from then on
 * the key is denied.
 */
public final class Revoker {
    private Revoker() {}

    /**
     * @param fromManifest the delegation as the manifest declares it, if it still does (names the delegate user)
     * @return what was removed; empty when nothing of the delegation was found
     * @throws ForeignAccountException with {@code removeUser}, for an account delegator did not create
     */
    public static List<Change> revoke(String name, Optional<Delegation> fromManifest, boolean removeUser, Target t, Duration lockWait) throws IOException {
        List<Change> done = new ArrayList<>();
        Files.createDirectories(t.layout().applyLock().getParent());
        try (ApplyLock lock = ApplyLock.acquire(t.layout().applyLock(), lockWait)) {
            Optional<String> delegateUser = fromManifest.map(d -> d.delegate().user());
            for (Path p : list(t.layout().authorizedKeysDir())) {
                if (p.getFileName().toString().startsWith(".") || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                FileSnapshot snap = AtomicFile.read(p);
                AuthorizedKeysFile f = AuthorizedKeysFile.parse(snap.text(), p.toString());
                List<AuthorizedKeyLine> keep = new ArrayList<>();
                boolean found = false;
                for (AuthorizedKeyLine l : f.managedLines()) {
                    if (l.comment().equals(DesiredLine.comment(name))) {
                        found = true;
                    } else {
                        keep.add(l);
                    }
                }
                if (!found) {
                    continue;
                }
                delegateUser = delegateUser.or(() -> Optional.of(p.getFileName().toString()));
                AuthorizedKeysFile updated = f.withManagedBlock(keep);
                if (keep.isEmpty() && AuthorizedKeysStep.onlyManaged(updated)) {
                    AtomicFile.delete(p, snap);
                } else {
                    AtomicFile.replace(p, updated.render().getBytes(StandardCharsets.UTF_8), Optional.of(FileOwner.root()),
                            FileStatus.perms(0644), snap, AtomicFile.DEFAULT_LOCK_WAIT);
                }
                done.add(Change.of(Category.AUTHORIZED_KEYS, Action.REMOVE, "line for " + name + " in " + p, "revoked", name));
            }
            Path conf = t.layout().dispatchConf(name);
            FileSnapshot cs = AtomicFile.read(conf);
            if (cs.exists()) {
                AtomicFile.delete(conf, cs);
                done.add(Change.of(Category.DISPATCH, Action.REMOVE, conf.toString(), "revoked", name));
            }
            for (Path callerDir : list(t.layout().callersDir())) {
                Path dir = callerDir.resolve(name);
                if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    DeleteTreeStep.deleteTree(dir);
                    done.add(Change.of(Category.KEYS, Action.REMOVE, "key directory " + dir, "revoked", name));
                }
            }
            // the delegate keeps cron and at denied while another delegation still uses the account
            if (delegateUser.isPresent() && !Files.exists(t.layout().authorizedKeys(delegateUser.get()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                for (Path deny : List.of(t.layout().cronDeny(), t.layout().atDeny())) {
                    if (undeny(deny, delegateUser.get())) {
                        done.add(Change.of(Category.SCHEDULERS, Action.UPDATE, delegateUser.get() + " in " + deny, "revoked", name));
                    }
                }
            }
            DelegationState state = DelegationState.read(t.layout().stateFile());
            if (state.since(name).isPresent()) {
                Map<String, Instant> since = new TreeMap<>(state.since());
                since.remove(name);
                state.write(since);
            }
            if (removeUser && delegateUser.isPresent()) {
                Optional<PosixUser> u = t.accounts().user(delegateUser.get());
                if (u.isPresent()) {
                    t.accounts().deleteDelegate(u.get().name());
                    done.add(Change.of(Category.USERS_AND_GROUPS, Action.REMOVE, "user " + u.get().name(), "revoked with --remove-user", name));
                }
            }
        }
        return done;
    }

    /** Takes {@code user} out of delegator's block in {@code deny}, keeping the file's owner, mode and other lines; false if it was not there. */
    private static boolean undeny(Path deny, String user) throws IOException {
        FileStatus st = FileStatus.of(deny);
        if (st.kind() != FileStatus.Kind.FILE) {
            return false;
        }
        FileSnapshot snap = AtomicFile.read(deny);
        java.util.SortedSet<String> users = SchedulerDeny.users(snap.text());
        if (!users.remove(user)) {
            return false;
        }
        AtomicFile.replace(deny, SchedulerDeny.render(snap.text(), users).getBytes(StandardCharsets.UTF_8),
                Optional.of(new FileOwner(st.user(), st.group())), st.mode(), snap, AtomicFile.DEFAULT_LOCK_WAIT);
        return true;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }
}
