package dev.delegator.plan;

import dev.delegator.dispatchconfig.SudoersRule;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.manifest.Delegation;
import dev.delegator.systemtools.SystemTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plans the sudoers rules of {@link SudoersRule} for the delegations of this host that have a verb
 * with capabilities; rules of others are removed. sudo reads a file in {@code /etc/sudoers.d} the
 * moment it is there, and one broken file stops sudo for everyone: each rendering is checked with
 * {@code visudo -cf} on a private copy while planning, and a failure (or no visudo) is a blocker,
 * so apply never writes it.
 */
final class GrantsPlanner {
    static final java.util.Set<java.nio.file.attribute.PosixFilePermission> FILE_0440 = FileStatus.perms(0440);
    private static final String PREFIX = "delegator-";

    private final PlanBuilder b;

    GrantsPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planGrants(List<Delegation> delegateSide) throws IOException {
        Set<Path> wanted = new HashSet<>();
        for (Delegation d : delegateSide) {
            if (!SudoersRule.needed(d)) {
                continue;
            }
            Path p = b.layout.sudoersFile(d.name());
            wanted.add(p);
            String content;
            try {
                content = SudoersRule.render(d, b.layout);
            } catch (IllegalArgumentException e) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": capabilities: " + e.getMessage()));
                continue;
            }
            if (!validated(d, content)) {
                continue;
            }
            b.ensureDir(Category.GRANTS, b.layout.sudoersDir(), FileOwner.root(), FileStatus.perms(0755), null);
            b.planFile(Category.GRANTS, p, content.getBytes(StandardCharsets.UTF_8), FileOwner.root(), FILE_0440, d.name());
        }
        for (Path p : PlanBuilder.list(b.layout.sudoersDir())) {
            String n = p.getFileName().toString();
            if (n.startsWith(PREFIX) && !wanted.contains(p) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                b.steps.add(new DeleteStep(Change.of(Category.GRANTS, Action.REMOVE, p.toString(), "no capabilities to grant for this delegation on this host",
                        n.substring(PREFIX.length())), AtomicFile.read(p)));
            }
        }
    }

    /** {@code visudo -cf} on a private copy of the rendering; a blocker when it fails or visudo is missing. */
    private boolean validated(Delegation d, String content) throws IOException {
        if (SystemTool.run(List.of("sh", "-c", "command -v visudo")).status() != 0) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name()
                    + ": capabilities need sudo, which is not installed (visudo missing; Debian: apt-get install sudo)"));
            return false;
        }
        Path tmp = Files.createTempFile("delegator-sudoers", ".check");
        try {
            Files.writeString(tmp, content);
            SystemTool.Result r = SystemTool.run(List.of("visudo", "-cf", tmp.toString()));
            if (!r.ok()) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": the sudoers rule for its capabilities does not pass visudo -cf: "
                        + r.firstErrorLine()));
                return false;
            }
            return true;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
