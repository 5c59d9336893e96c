package dev.delegator.plan;

import dev.delegator.accounts.PosixGroup;
import dev.delegator.accounts.PosixUser;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.layout.Layout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What the per-area planners share while a plan is made: the target, one read of the accounts,
 * the steps, blockers and notices so far, and the file and directory checks every area uses.
 */
final class PlanBuilder {
    static final Set<PosixFilePermission> DIR_0755 = FileStatus.perms(0755);
    static final Set<PosixFilePermission> DIR_0700 = FileStatus.perms(0700);
    static final Set<PosixFilePermission> FILE_0644 = FileStatus.perms(0644);
    static final Set<PosixFilePermission> FILE_0600 = FileStatus.perms(0600);

    final Target t;
    final Layout layout;
    final dev.delegator.accounts.AccountsSnapshot known;
    final List<Step> steps = new ArrayList<>();
    final List<Blocker> blockers = new ArrayList<>();
    final List<String> notices = new ArrayList<>();
    private final Set<Path> plannedDirs = new HashSet<>();
    private java.util.Map<String, List<String>> sshdEffective;

    PlanBuilder(Target t) {
        this.t = t;
        this.layout = t.layout();
        this.known = t.accounts().snapshot();
    }


    /** Why an existing file with other content is replaced, given what it holds now. */
    @FunctionalInterface
    interface ContentDifference {
        String reason(byte[] installed);

        ContentDifference EDITED_OR_CHANGED = installed -> "content differs (edited by hand, or the manifest changed)";
    }

    void planFile(Category c, Path p, byte[] content, FileOwner owner, Set<PosixFilePermission> mode, String delegation) throws IOException {
        planFile(c, p, content, owner, mode, delegation, ContentDifference.EDITED_OR_CHANGED);
    }

    /**
     * The one rule for a file delegator owns whole: a symlink, directory or device where it goes
     * blocks the plan (a write would follow or fail on it); a missing file is created; other
     * content is replaced, with {@code difference} saying why; only owner or mode drifting is an
     * update too.
     */
    void planFile(Category c, Path p, byte[] content, FileOwner owner, Set<PosixFilePermission> mode, String delegation,
                  ContentDifference difference) throws IOException {
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
            reason = difference.reason(snap.content());
        } else {
            List<String> drift = st.drift(owner, mode);
            if (drift.isEmpty()) {
                return;
            }
            reason = String.join("; ", drift);
        }
        steps.add(new FileStep(Change.of(c, a, p.toString(), reason, delegation), p, content, owner, mode, snap));
    }

    void ensureDir(Category c, Path dir, FileOwner owner, Set<PosixFilePermission> mode, String delegation) throws IOException {
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

    /**
     * {@code sshd -T} of this host, read once per plan: the host keys to pin and the global
     * settings the drop-in cannot fix both come from it. A failure is not kept: each asker gets it.
     */
    java.util.Map<String, List<String>> sshdEffective() {
        if (sshdEffective == null) {
            sshdEffective = t.sshd().effective();
        }
        return sshdEffective;
    }

    OptionalInt freeId(dev.delegator.manifest.IdRange range, boolean forGroups, Set<Integer> taken) {
        Set<Integer> used = known.usedIds(forGroups);
        used.addAll(taken);
        for (int id = range.first(); id <= range.last(); id++) {
            if (!used.contains(id)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    FileOwner callerOwner(PosixUser caller) {
        String group = known.group(caller.gid()).map(PosixGroup::name).orElse(caller.name());
        return new FileOwner(caller.name(), group);
    }

    static List<Path> list(Path dir) throws IOException {
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
