package dev.delegator.plan;

import dev.delegator.authorizedkeys.AuthorizedKeyLine;
import dev.delegator.authorizedkeys.AuthorizedKeysException;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.keys.KeyFiles;
import dev.delegator.manifest.Delegation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Plans the central authorized_keys files: one managed line per delegation whose delegate lives here, and the first-apply times behind expires: <duration>. */
final class AuthorizedKeysPlanner {
    private final PlanBuilder b;

    AuthorizedKeysPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planAuthorizedKeys(List<Delegation> delegateSide, List<Delegation> callerSide) throws IOException {
        DelegationState state = DelegationState.read(b.layout.stateFile());
        Instant now = b.t.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Instant> newSince = new TreeMap<>();
        Map<String, List<DesiredLine>> byUser = new LinkedHashMap<>();
        Map<String, Set<String>> pending = new HashMap<>();
        // by name: List.contains compared whole delegations, once per delegation (quadratic in their number)
        Set<String> callersHere = new HashSet<>();
        callerSide.forEach(d -> callersHere.add(d.name()));
        if (!delegateSide.isEmpty()) {
            b.ensureDir(Category.AUTHORIZED_KEYS, b.layout.etcDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
            b.ensureDir(Category.AUTHORIZED_KEYS, b.layout.authorizedKeysDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        }
        for (Delegation d : delegateSide) {
            Instant since = state.since(d.name()).orElse(now);
            newSince.put(d.name(), since);
            if (d.auth() == dev.delegator.manifest.Auth.CERTIFICATE) {
                continue; // its restriction lives in the principals file (CertificatePlanner); no caller key on this host
            }
            boolean callerHere = callersHere.contains(d.name());
            Optional<Path> localPub = callerHere
                    ? Optional.of(KeyFiles.publicKeyPath(b.layout.callerKey(d.caller().user(), d.name())))
                    : Optional.empty();
            if (!callerHere && d.callerPublicKey().isEmpty()) {
                b.notices.add("delegation " + d.name() + ": waiting for callerPublicKey: run 'delegator apply' on " + d.caller().host()
                        + ", paste the caller key it prints into the manifest as callerPublicKey, then apply here again");
            }
            DesiredLine line = new DesiredLine(d.name(), localPub, d.callerPublicKey(), b.layout.forcedCommand(d.name()), d.from(),
                    d.allowHostNames(), d.expires().map(e -> e.resolve(since)));
            byUser.computeIfAbsent(d.delegate().user(), k -> new ArrayList<>()).add(line);
            if (callerHere && line.publicKey().isEmpty()) {
                pending.computeIfAbsent(d.delegate().user(), k -> new HashSet<>()).add(d.name());
            }
        }
        for (Path p : PlanBuilder.list(b.layout.authorizedKeysDir())) {
            String n = p.getFileName().toString();
            if (!n.startsWith(".") && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                byUser.putIfAbsent(n, new ArrayList<>());
            }
        }
        for (Map.Entry<String, List<DesiredLine>> e : byUser.entrySet()) {
            planAuthorizedKeysFile(e.getKey(), e.getValue(), pending.getOrDefault(e.getKey(), Set.of()));
        }
        if (!newSince.equals(state.since())) {
            Set<String> added = new TreeSet<>(newSince.keySet());
            added.removeAll(state.since().keySet());
            Set<String> gone = new TreeSet<>(state.since().keySet());
            gone.removeAll(newSince.keySet());
            String reason = (added.isEmpty() ? "" : "first applied now: " + String.join(",", added))
                    + (added.isEmpty() || gone.isEmpty() ? "" : "; ") + (gone.isEmpty() ? "" : "forget " + String.join(",", gone));
            b.steps.add(new StateStep(Change.of(Category.AUTHORIZED_KEYS, state.snapshot().exists() ? Action.UPDATE : Action.CREATE,
                    b.layout.stateFile().toString(), reason, null), newSince));
        }
    }

    void planAuthorizedKeysFile(String user, List<DesiredLine> lines, Set<String> pending) throws IOException {
        Path p = b.layout.authorizedKeys(user);
        FileStatus st = FileStatus.of(p);
        if (st.kind() == FileStatus.Kind.SYMLINK || st.kind() == FileStatus.Kind.DIRECTORY || st.kind() == FileStatus.Kind.OTHER) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, p + " is not a regular file; remove it (sshd must read a root-owned file there)"));
            return;
        }
        FileSnapshot snap = AtomicFile.read(p);
        AuthorizedKeysFile current;
        try {
            current = snap.exists() ? AuthorizedKeysFile.parse(snap.text(), p.toString()) : AuthorizedKeysFile.empty(p.toString());
        } catch (AuthorizedKeysException e) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, p + ": " + e.getMessage()));
            return;
        }
        Map<String, String> have = new LinkedHashMap<>();
        List<String> unnamed = new ArrayList<>();
        for (AuthorizedKeyLine l : current.managedLines()) {
            if (l.comment().startsWith(DesiredLine.COMMENT_PREFIX)) {
                have.putIfAbsent(l.comment().substring(DesiredLine.COMMENT_PREFIX.length()), l.render());
            } else {
                unnamed.add(l.render());
            }
        }
        List<Change> changes = new ArrayList<>();
        Set<String> wantedNames = new HashSet<>();
        for (DesiredLine d : lines) {
            wantedNames.add(d.delegation());
            String subject = "line for " + d.delegation() + " in " + p;
            Optional<AuthorizedKeyLine> built;
            try {
                built = d.build();
            } catch (AuthorizedKeysException e) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.delegation() + ": " + e.getMessage()));
                continue;
            }
            String existing = have.get(d.delegation());
            if (built.isEmpty()) {
                if (pending.contains(d.delegation())) {
                    changes.add(Change.of(Category.AUTHORIZED_KEYS, existing == null ? Action.CREATE : Action.UPDATE, subject,
                            existing == null ? "for the caller key this apply generates" : "rewritten for the caller key once its files are restored",
                            d.delegation()));
                } else if (existing != null) {
                    changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.REMOVE, subject, "no caller public key known for it", d.delegation()));
                }
                continue;
            }
            if (existing == null) {
                changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.CREATE, subject, "missing", d.delegation()));
            } else if (!existing.equals(built.get().render())) {
                changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.UPDATE, subject, lineDifference(existing, built.get()), d.delegation()));
            }
        }
        for (String name : have.keySet()) {
            if (!wantedNames.contains(name)) {
                changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.REMOVE, "line for " + name + " in " + p, "delegation no longer applied on this host", name));
            }
        }
        if (!unnamed.isEmpty()) {
            changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.REMOVE, unnamed.size() + " unknown line(s) in the managed block of " + p,
                    "added by hand inside delegator's block", null));
        }
        if (have.size() + unnamed.size() != current.managedLines().size()) {
            changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.UPDATE, p.toString(), "a delegation has two lines in the managed block", null));
        }
        boolean fileWanted = !lines.isEmpty() || !AuthorizedKeysStep.onlyManaged(current.withManagedBlock(List.of()));
        if (st.exists() && changes.isEmpty()) {
            // content as wanted: only owner and mode can have drifted
            if (fileWanted) {
                List<String> drift = st.drift(FileOwner.root(), PlanBuilder.FILE_0644);
                if (!drift.isEmpty()) {
                    changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.UPDATE, p.toString(), String.join("; ", drift), null));
                }
            }
            if (!current.structureProblems().isEmpty()) {
                changes.add(Change.of(Category.AUTHORIZED_KEYS, Action.UPDATE, p.toString(), "managed block markers broken: "
                        + current.structureProblems().get(0).getMessage(), null));
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        try {
            // the engine refuses a file with a key twice or a broken block: find that now, not halfway through apply
            AuthorizedKeysStep.render(snap, AuthorizedKeysStep.Block.desired(lines));
        } catch (AuthorizedKeysException e) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, p + ": " + e.getMessage() + " (fail closed: fix the file by hand, then apply)"));
            return;
        }
        b.steps.add(new AuthorizedKeysStep(changes, p, AuthorizedKeysStep.Block.desired(lines), snap));
    }

    private static String lineDifference(String existing, AuthorizedKeyLine wanted) {
        try {
            AuthorizedKeyLine have = AuthorizedKeyLine.parse(existing);
            if (!have.keyBase64().equals(wanted.keyBase64())) {
                return "different key";
            }
            if (!have.options().equals(wanted.options())) {
                return "options differ from the manifest (edited by hand, or the manifest changed)";
            }
            return "edited by hand";
        } catch (AuthorizedKeysException e) {
            return "unparsable: " + e.getMessage();
        }
    }
}
