package dev.delegator.plan;

import dev.delegator.accounts.Accounts;
import dev.delegator.accounts.PosixGroup;
import dev.delegator.accounts.PosixUser;
import dev.delegator.authorizedkeys.AuthorizedKeyLine;
import dev.delegator.authorizedkeys.AuthorizedKeysException;
import dev.delegator.authorizedkeys.AuthorizedKeysFile;
import dev.delegator.dispatchconfig.DispatchConfig;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.install.Script;
import dev.delegator.install.ScriptSource;
import dev.delegator.keys.KeyFiles;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.DelegateHost;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.Resource;
import dev.delegator.manifest.SharedGroup;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares a manifest with this machine and produces the {@link Plan} that makes the machine
 * match it: for each delegation, its delegate side when one of its hosts is this machine, its
 * caller side when its caller runs here. Planning only reads (files, {@code getent},
 * {@code sshd -T}); it never changes anything.
 */
public final class Planner {
    private static final Set<PosixFilePermission> DIR_0755 = FileStatus.perms(0755);
    private static final Set<PosixFilePermission> DIR_0700 = FileStatus.perms(0700);
    private static final Set<PosixFilePermission> FILE_0644 = FileStatus.perms(0644);
    private static final Set<PosixFilePermission> FILE_0600 = FileStatus.perms(0600);

    private final Target t;
    private final Layout layout;
    private final Accounts accounts;
    private final dev.delegator.accounts.AccountsSnapshot known;
    private final List<Step> steps = new ArrayList<>();
    private final List<Blocker> blockers = new ArrayList<>();
    private final List<String> notices = new ArrayList<>();
    private final Set<Path> plannedDirs = new HashSet<>();

    private Planner(Target t) {
        this.t = t;
        this.layout = t.layout();
        this.accounts = t.accounts();
        this.known = accounts.snapshot();
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
            boolean c = t.host().isCallerHere(d);
            boolean dl = t.host().isDelegateHere(d);
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
        planAccounts(m, delegateSide);
        if (!delegateSide.isEmpty()) {
            planScripts();
        }
        planDispatch(m, delegateSide);
        planCallerKeys(callerSide);
        planKnownHosts(callerSide);
        planAuthorizedKeys(delegateSide, callerSide);
        if (!delegateSide.isEmpty()) {
            planDropIn(delegateSide);
        }
        planResources(delegateSide);
        return new Plan(steps, blockers, notices, sides);
    }

    // ---- users and groups

    private void planAccounts(Manifest m, List<Delegation> delegateSide) {
        if (delegateSide.isEmpty()) {
            return;
        }
        Set<Integer> takenGids = new HashSet<>();
        Set<Integer> takenUids = new HashSet<>();
        if (known.group(DropIn.GROUP).isEmpty()) {
            steps.add(new GroupStep(DropIn.GROUP, OptionalInt.empty(), "every delegate is in it; the sshd drop-in matches on it"));
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
            if (known.group(g).isPresent()) {
                continue;
            }
            SharedGroup sg = declared.get(g);
            if (sg == null) {
                blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "group " + g
                        + " does not exist on this host and is not declared under 'groups:' in the manifest; declare it or create it"));
                continue;
            }
            OptionalInt gid = sg.gid();
            if (gid.isEmpty() && m.gidRange().isPresent()) {
                gid = freeId(m.gidRange().get(), true, takenGids);
                if (gid.isEmpty()) {
                    blockers.add(new Blocker(Blocker.Kind.REFUSED, "gidRange " + m.gidRange().get() + " has no free gid left for group " + g));
                    continue;
                }
            }
            gid.ifPresent(takenGids::add);
            steps.add(new GroupStep(g, gid, "shared group declared in the manifest"));
        }
        for (Delegation d : delegateSide) {
            var spec = d.delegate();
            List<String> groups = new ArrayList<>();
            groups.add(DropIn.GROUP);
            groups.addAll(spec.groups());
            Optional<PosixUser> u = known.user(spec.user());
            if (u.isEmpty()) {
                OptionalInt uid = spec.uid();
                if (uid.isEmpty() && m.uidRange().isPresent()) {
                    uid = freeId(m.uidRange().get(), false, takenUids);
                    if (uid.isEmpty()) {
                        blockers.add(new Blocker(Blocker.Kind.REFUSED, "uidRange " + m.uidRange().get() + " has no free uid left for " + spec.user()));
                        continue;
                    }
                }
                uid.ifPresent(takenUids::add);
                OptionalInt gid = OptionalInt.empty();
                if (m.gidRange().isPresent() && known.group(spec.user()).isEmpty()) {
                    gid = freeId(m.gidRange().get(), true, takenGids);
                    gid.ifPresent(takenGids::add);
                }
                steps.add(new CreateUserStep(d.name(), spec, uid, gid, groups));
                continue;
            }
            PosixUser user = u.get();
            if (!user.ownedByDelegator()) {
                blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": " + Accounts.foreignMessage(user)));
                continue;
            }
            if (spec.uid().isPresent() && spec.uid().getAsInt() != user.uid()) {
                blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": user " + user.name() + " has uid " + user.uid()
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
            Set<String> have = known.groupsOf(user.name());
            have.remove(user.name());
            known.group(user.gid()).map(PosixGroup::name).ifPresent(have::remove);
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
            String pw = known.passwordField(user.name()).orElse("*");
            if (!pw.equals("*")) {
                reasons.add(pw.startsWith("!") ? "account locked (password field " + pw + "), sshd would refuse its key" : "has a password, want '*'");
            }
            if (!reasons.isEmpty()) {
                steps.add(new RepairUserStep(d.name(), user.name(), spec.home(), groups, reasons));
            }
        }
    }

    // ---- installed scripts

    private void planScripts() throws IOException {
        ensureDir(Category.SCRIPTS, layout.libDir(), FileOwner.root(), DIR_0755, null);
        ensureDir(Category.SCRIPTS, layout.deployDir(), FileOwner.root(), DIR_0755, null);
        ScriptSource src = t.scripts();
        for (Script s : src.scripts()) {
            Path p = layout.libDir().resolve(s.relativePath());
            FileSnapshot snap = AtomicFile.read(p);
            FileStatus st = FileStatus.of(p);
            String reason;
            Action a = Action.UPDATE;
            if (!snap.exists()) {
                reason = "missing";
                a = Action.CREATE;
            } else if (!Arrays.equals(snap.content(), s.content())) {
                reason = s.relativePath().equals("dispatch")
                        ? "stale: installed version " + ScriptSource.versionOf(snap.content()) + ", this build " + src.version() + " (or edited)"
                        : "differs from this build's copy";
            } else {
                List<String> drift = st.drift(FileOwner.root(), DIR_0755);
                if (drift.isEmpty()) {
                    continue;
                }
                reason = String.join("; ", drift);
            }
            steps.add(new FileStep(Change.of(Category.SCRIPTS, a, p.toString(), reason, null), p, s.content(), FileOwner.root(), DIR_0755, snap));
        }
    }

    // ---- dispatcher configs

    private void planDispatch(Manifest m, List<Delegation> delegateSide) throws IOException {
        Set<Path> wanted = new HashSet<>();
        if (!delegateSide.isEmpty()) {
            ensureDir(Category.DISPATCH, layout.etcDir(), FileOwner.root(), DIR_0755, null);
            ensureDir(Category.DISPATCH, layout.dispatchConfDir(), FileOwner.root(), DIR_0755, null);
        }
        for (Delegation d : delegateSide) {
            Path p = layout.dispatchConf(d.name());
            wanted.add(p);
            byte[] content = DispatchConfig.render(d, m.source()).getBytes(StandardCharsets.UTF_8);
            planFile(Category.DISPATCH, p, content, FileOwner.root(), FILE_0644, d.name());
        }
        for (Path p : list(layout.dispatchConfDir())) {
            String n = p.getFileName().toString();
            if (n.endsWith(".conf") && !n.startsWith(".") && !wanted.contains(p)) {
                steps.add(new DeleteStep(Change.of(Category.DISPATCH, Action.REMOVE, p.toString(), "delegation no longer applied on this host",
                        n.substring(0, n.length() - 5)), AtomicFile.read(p)));
            }
        }
    }

    // ---- caller keys

    private void planCallerKeys(List<Delegation> callerSide) throws IOException {
        Set<Path> wanted = new HashSet<>();
        if (!callerSide.isEmpty()) {
            ensureDir(Category.KEYS, layout.callersDir(), FileOwner.root(), DIR_0755, null);
        }
        for (Delegation d : callerSide) {
            String caller = d.caller().user();
            Optional<PosixUser> cu = known.user(caller);
            wanted.add(layout.callerDelegationDir(caller, d.name()));
            if (cu.isEmpty()) {
                blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "delegation " + d.name() + ": caller user " + caller
                        + " does not exist on this host; create it first (it is the account your hook or CI job runs as)"));
                continue;
            }
            FileOwner owner = callerOwner(cu.get());
            ensureDir(Category.KEYS, layout.callerDir(caller), owner, DIR_0700, d.name());
            ensureDir(Category.KEYS, layout.callerDelegationDir(caller, d.name()), owner, DIR_0700, d.name());
            Path key = layout.callerKey(caller, d.name());
            Path pub = KeyFiles.publicKeyPath(key);
            FileStatus ks = FileStatus.of(key);
            if (ks.kind() == FileStatus.Kind.SYMLINK || FileStatus.of(pub).kind() == FileStatus.Kind.SYMLINK) {
                blockers.add(new Blocker(Blocker.Kind.REFUSED, key + " or its .pub is a symbolic link; remove it, delegator does not follow links"));
                continue;
            }
            if (!ks.exists()) {
                steps.add(new KeyPairStep(d.name(), key, owner));
                continue;
            }
            List<String> drift = ks.drift(owner, FILE_0600);
            if (!drift.isEmpty()) {
                steps.add(new OwnershipStep(Change.of(Category.KEYS, Action.UPDATE, "key " + key, String.join("; ", drift), d.name()), key, owner, FILE_0600));
            }
            Optional<String> pubProblem = publicKeyProblem(key, pub, owner);
            if (pubProblem.isPresent()) {
                steps.add(new DerivePublicKeyStep(d.name(), key, owner, pubProblem.get()));
            } else if (d.hosts().stream().anyMatch(h -> !h.isLocalhost() && !t.host().is(h.host()))) {
                notices.add("caller key of " + d.name() + " (paste as callerPublicKey on its delegate hosts): " + PublicKeyLine.read(pub).toLine());
            }
        }
        for (Path callerDir : list(layout.callersDir())) {
            for (Path dir : list(callerDir)) {
                if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !wanted.contains(dir)) {
                    steps.add(new DeleteTreeStep(Change.of(Category.KEYS, Action.REMOVE, "key directory " + dir,
                            "delegation no longer has its caller " + callerDir.getFileName() + " on this host", dir.getFileName().toString()), dir));
                }
            }
        }
    }

    private Optional<String> publicKeyProblem(Path key, Path pub, FileOwner owner) throws IOException {
        FileStatus ps = FileStatus.of(pub);
        if (!ps.exists()) {
            return Optional.of("missing, rewritten from the private key");
        }
        PublicKeyLine have;
        try {
            have = PublicKeyLine.read(pub);
        } catch (IOException e) {
            return Optional.of("unreadable (" + e.getMessage() + "), rewritten from the private key");
        }
        try {
            java.security.KeyPair kp = KeyFiles.loadPrivateKey(key);
            PublicKeyLine real = PublicKeyLine.of(kp.getPublic(), "");
            if (!real.base64().equals(have.base64())) {
                return Optional.of("does not match the private key, rewritten from it");
            }
        } catch (IOException e) {
            // an unreadable private key (e.g. mode drift, fixed by an earlier step) is judged after that step
        }
        List<String> drift = ps.drift(owner, KeyFiles.PUBLIC_MODE);
        return drift.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", drift));
    }

    // ---- pinned known_hosts

    private void planKnownHosts(List<Delegation> callerSide) throws IOException {
        List<String> localKeys = null;
        for (Delegation d : callerSide) {
            Optional<PosixUser> cu = known.user(d.caller().user());
            if (cu.isEmpty()) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (DelegateHost h : d.hosts()) {
                if (h.isLocalhost()) {
                    if (localKeys == null) {
                        localKeys = localHostKeys();
                    }
                    if (localKeys.isEmpty()) {
                        blockers.add(new Blocker(Blocker.Kind.SYSTEM, "no host key of this machine is readable (HostKey of "
                                + t.sshdPaths().config() + "): cannot pin localhost for " + d.name()));
                        return;
                    }
                    String names = h.port() == 22 ? "localhost,127.0.0.1,::1"
                            : "[localhost]:" + h.port() + ",[127.0.0.1]:" + h.port() + ",[::1]:" + h.port();
                    for (String k : localKeys) {
                        b.append(names).append(' ').append(k).append('\n');
                    }
                } else {
                    String name = h.port() == 22 ? h.host() : "[" + h.host() + "]:" + h.port();
                    if (h.hostKey().isPresent()) {
                        PublicKeyLine k = PublicKeyLine.parse(h.hostKey().get());
                        b.append(name).append(' ').append(k.type()).append(' ').append(k.base64()).append('\n');
                    }
                    if (h.knownHosts().isPresent()) {
                        Path f = h.knownHosts().get();
                        if (!Files.isRegularFile(f)) {
                            blockers.add(new Blocker(Blocker.Kind.MISSING_PREREQUISITE, "delegation " + d.name() + ": knownHosts file " + f + " for "
                                    + h.display() + " does not exist"));
                            continue;
                        }
                        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                            String l = line.strip();
                            if (!l.isEmpty() && !l.startsWith("#")) {
                                b.append(l).append('\n');
                            }
                        }
                    }
                }
            }
            Path p = layout.callerKnownHosts(d.caller().user(), d.name());
            planFile(Category.KNOWN_HOSTS, p, b.toString().getBytes(StandardCharsets.UTF_8), callerOwner(cu.get()), FILE_0600, d.name());
        }
    }

    /** This machine's host public keys ({@code type base64}), from sshd's HostKey entries. */
    private List<String> localHostKeys() {
        List<String> out = new ArrayList<>();
        try {
            for (Path pub : t.sshd().hostPublicKeyFiles()) {
                if (Files.isRegularFile(pub)) {
                    PublicKeyLine k = PublicKeyLine.read(pub);
                    out.add(k.type() + " " + k.base64());
                }
            }
        } catch (IOException | SystemToolException e) {
            blockers.add(new Blocker(Blocker.Kind.SYSTEM, "cannot read this machine's host keys through sshd -T -f " + t.sshdPaths().config() + ": " + e.getMessage()));
        }
        return out;
    }

    // ---- authorized_keys

    private void planAuthorizedKeys(List<Delegation> delegateSide, List<Delegation> callerSide) throws IOException {
        DelegationState state = DelegationState.read(layout.stateFile());
        Instant now = t.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Map<String, Instant> newSince = new TreeMap<>();
        Map<String, List<DesiredLine>> byUser = new LinkedHashMap<>();
        Map<String, Set<String>> pending = new HashMap<>();
        if (!delegateSide.isEmpty()) {
            ensureDir(Category.AUTHORIZED_KEYS, layout.etcDir(), FileOwner.root(), DIR_0755, null);
            ensureDir(Category.AUTHORIZED_KEYS, layout.authorizedKeysDir(), FileOwner.root(), DIR_0755, null);
        }
        for (Delegation d : delegateSide) {
            Instant since = state.since(d.name()).orElse(now);
            newSince.put(d.name(), since);
            boolean callerHere = callerSide.contains(d);
            Optional<Path> localPub = callerHere
                    ? Optional.of(KeyFiles.publicKeyPath(layout.callerKey(d.caller().user(), d.name())))
                    : Optional.empty();
            if (!callerHere && d.callerPublicKey().isEmpty()) {
                notices.add("delegation " + d.name() + ": waiting for callerPublicKey: run 'delegator apply' on " + d.caller().host()
                        + ", paste the caller key it prints into the manifest as callerPublicKey, then apply here again");
            }
            DesiredLine line = new DesiredLine(d.name(), localPub, d.callerPublicKey(), layout.forcedCommand(d.name()), d.from(),
                    d.allowHostNames(), d.expires().map(e -> e.resolve(since)));
            byUser.computeIfAbsent(d.delegate().user(), k -> new ArrayList<>()).add(line);
            if (callerHere && line.publicKey().isEmpty()) {
                pending.computeIfAbsent(d.delegate().user(), k -> new HashSet<>()).add(d.name());
            }
        }
        for (Path p : list(layout.authorizedKeysDir())) {
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
            steps.add(new StateStep(Change.of(Category.AUTHORIZED_KEYS, state.snapshot().exists() ? Action.UPDATE : Action.CREATE,
                    layout.stateFile().toString(), reason, null), newSince));
        }
    }

    private void planAuthorizedKeysFile(String user, List<DesiredLine> lines, Set<String> pending) throws IOException {
        Path p = layout.authorizedKeys(user);
        FileStatus st = FileStatus.of(p);
        if (st.kind() == FileStatus.Kind.SYMLINK || st.kind() == FileStatus.Kind.DIRECTORY || st.kind() == FileStatus.Kind.OTHER) {
            blockers.add(new Blocker(Blocker.Kind.REFUSED, p + " is not a regular file; remove it (sshd must read a root-owned file there)"));
            return;
        }
        FileSnapshot snap = AtomicFile.read(p);
        AuthorizedKeysFile current;
        try {
            current = snap.exists() ? AuthorizedKeysFile.parse(snap.text(), p.toString()) : AuthorizedKeysFile.empty(p.toString());
        } catch (AuthorizedKeysException e) {
            blockers.add(new Blocker(Blocker.Kind.REFUSED, p + ": " + e.getMessage()));
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
                blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.delegation() + ": " + e.getMessage()));
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
                List<String> drift = st.drift(FileOwner.root(), FILE_0644);
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
            AuthorizedKeysStep.render(snap, lines);
        } catch (AuthorizedKeysException e) {
            blockers.add(new Blocker(Blocker.Kind.REFUSED, p + ": " + e.getMessage() + " (fail closed: fix the file by hand, then apply)"));
            return;
        }
        steps.add(new AuthorizedKeysStep(changes, p, lines, snap));
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

    // ---- sshd drop-in

    private void planDropIn(List<Delegation> delegateSide) throws IOException {
        Path p = t.sshdPaths().dropIn();
        String content = DropIn.render(layout);
        FileSnapshot snap = AtomicFile.read(p);
        FileStatus st = FileStatus.of(p);
        List<String> existingDelegates = new ArrayList<>();
        for (Delegation d : delegateSide) {
            known.user(d.delegate().user()).filter(PosixUser::ownedByDelegator).ifPresent(u -> existingDelegates.add(u.name()));
        }
        // Match Group treats every member alike: checking one delegate shows whether the drop-in is in effect
        List<String> allDelegates = List.of(delegateSide.get(0).delegate().user());
        List<Change> changes = new ArrayList<>();
        if (!snap.exists()) {
            changes.add(Change.of(Category.SSHD, Action.CREATE, p.toString(), "missing; validated with sshd -t before it stays", null));
        } else if (!snap.text().equals(content)) {
            changes.add(Change.of(Category.SSHD, Action.UPDATE, p.toString(), "differs from what delegator writes (edited by hand?)", null));
        } else {
            List<String> drift = st.drift(FileOwner.root(), FILE_0644);
            if (!drift.isEmpty()) {
                changes.add(Change.of(Category.SSHD, Action.UPDATE, p.toString(), String.join("; ", drift), null));
            } else if (!existingDelegates.isEmpty()) {
                try {
                    // Match Group treats every member alike: one delegate shows whether the drop-in is in effect
                    Optional<String> problem = DropInStep.effectProblem(t.sshd(), layout, existingDelegates.subList(0, 1));
                    problem.ifPresent(s -> blockers.add(new Blocker(Blocker.Kind.SYSTEM, s)));
                } catch (SystemToolException e) {
                    blockers.add(new Blocker(Blocker.Kind.SYSTEM, e.getMessage()));
                }
            }
        }
        if (!changes.isEmpty()) {
            steps.add(new DropInStep(changes, p, content, allDelegates, snap));
        }
    }

    // ---- resources

    private void planResources(List<Delegation> delegateSide) throws IOException {
        for (Delegation d : delegateSide) {
            for (Resource r : d.resources()) {
                String user = r.owner() == Resource.Owner.ROOT ? "root" : d.delegate().user();
                FileOwner owner = new FileOwner(user, r.group().orElse(user));
                FileStatus st = FileStatus.of(r.path());
                String what = (r.kind() == Resource.Kind.DIR ? "directory " : "file ") + r.path();
                Set<PosixFilePermission> mode = FileStatus.perms(r.mode());
                switch (st.kind()) {
                    case ABSENT -> steps.add(new ResourceStep(Change.of(Category.RESOURCES, Action.CREATE, what,
                            owner + " " + r.modeText(), d.name()), r, owner));
                    case SYMLINK, OTHER -> blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": resource " + r.path()
                            + " is a symbolic link or special file; delegator does not follow links: remove it or change the manifest"));
                    case FILE, DIRECTORY -> {
                        boolean kindOk = (st.kind() == FileStatus.Kind.DIRECTORY) == (r.kind() == Resource.Kind.DIR);
                        if (!kindOk) {
                            blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": resource " + r.path() + " exists as a "
                                    + (st.kind() == FileStatus.Kind.DIRECTORY ? "directory" : "file") + " but the manifest says kind "
                                    + r.kind().name().toLowerCase(java.util.Locale.ROOT)));
                            continue;
                        }
                        List<String> drift = st.drift(owner, mode);
                        if (!drift.isEmpty()) {
                            steps.add(new ResourceStep(Change.of(Category.RESOURCES, Action.UPDATE, what, String.join("; ", drift), d.name()), r, owner));
                        }
                    }
                    default -> throw new IllegalStateException(st.kind().toString());
                }
            }
        }
    }

    // ---- helpers

    private void planFile(Category c, Path p, byte[] content, FileOwner owner, Set<PosixFilePermission> mode, String delegation) throws IOException {
        FileStatus st = FileStatus.of(p);
        if (st.kind() == FileStatus.Kind.SYMLINK || st.kind() == FileStatus.Kind.DIRECTORY || st.kind() == FileStatus.Kind.OTHER) {
            blockers.add(new Blocker(Blocker.Kind.REFUSED, p + " is not a regular file; remove it"));
            return;
        }
        FileSnapshot snap = AtomicFile.read(p);
        String reason;
        Action a = Action.UPDATE;
        if (!snap.exists()) {
            reason = "missing";
            a = Action.CREATE;
        } else if (!Arrays.equals(snap.content(), content)) {
            reason = "content differs (edited by hand, or the manifest changed)";
        } else {
            List<String> drift = st.drift(owner, mode);
            if (drift.isEmpty()) {
                return;
            }
            reason = String.join("; ", drift);
        }
        steps.add(new FileStep(Change.of(c, a, p.toString(), reason, delegation), p, content, owner, mode, snap));
    }

    private void ensureDir(Category c, Path dir, FileOwner owner, Set<PosixFilePermission> mode, String delegation) throws IOException {
        if (!plannedDirs.add(dir)) {
            return;
        }
        FileStatus st = FileStatus.of(dir);
        if (st.kind() == FileStatus.Kind.ABSENT) {
            steps.add(new DirectoryStep(c, dir, owner, mode, Action.CREATE, "missing", delegation));
        } else if (st.kind() != FileStatus.Kind.DIRECTORY) {
            blockers.add(new Blocker(Blocker.Kind.REFUSED, dir + " should be a directory but is a " + st.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + "; remove it"));
        } else {
            List<String> drift = st.drift(owner, mode);
            if (!drift.isEmpty()) {
                steps.add(new DirectoryStep(c, dir, owner, mode, Action.UPDATE, String.join("; ", drift), delegation));
            }
        }
    }

    private OptionalInt freeId(dev.delegator.manifest.IdRange range, boolean forGroups, Set<Integer> taken) {
        Set<Integer> used = known.usedIds(forGroups);
        used.addAll(taken);
        for (int id = range.first(); id <= range.last(); id++) {
            if (!used.contains(id)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    private FileOwner callerOwner(PosixUser caller) {
        String group = known.group(caller.gid()).map(PosixGroup::name).orElse(caller.name());
        return new FileOwner(caller.name(), group);
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
