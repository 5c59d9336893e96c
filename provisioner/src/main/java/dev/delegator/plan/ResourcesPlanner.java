package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Resource;
import java.io.IOException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/** Plans the resources of the delegations whose delegate lives here: created, owner and mode kept. */
final class ResourcesPlanner {
    private final PlanBuilder b;

    ResourcesPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planResources(List<Delegation> delegateSide) throws IOException {
        for (Delegation d : delegateSide) {
            for (Resource r : d.resources()) {
                String user = r.owner() == Resource.Owner.ROOT ? "root" : d.delegate().user();
                FileOwner owner = new FileOwner(user, r.group().orElse(user));
                FileStatus st = FileStatus.of(r.path());
                String what = (r.kind() == Resource.Kind.DIR ? "directory " : "file ") + r.path();
                Set<PosixFilePermission> mode = FileStatus.perms(r.mode());
                switch (st.kind()) {
                    case ABSENT -> b.steps.add(new ResourceStep(Change.of(Category.RESOURCES, Action.CREATE, what,
                            owner + " " + r.modeText(), d.name()), r, owner));
                    case SYMLINK, OTHER -> b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": resource " + r.path()
                            + " is a symbolic link or special file; delegator does not follow links: remove it or change the manifest"));
                    case FILE, DIRECTORY -> {
                        boolean kindOk = (st.kind() == FileStatus.Kind.DIRECTORY) == (r.kind() == Resource.Kind.DIR);
                        if (!kindOk) {
                            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, "delegation " + d.name() + ": resource " + r.path() + " exists as a "
                                    + (st.kind() == FileStatus.Kind.DIRECTORY ? "directory" : "file") + " but the manifest says kind "
                                    + r.kind().name().toLowerCase(java.util.Locale.ROOT)));
                            continue;
                        }
                        List<String> drift = st.drift(owner, mode);
                        if (!drift.isEmpty()) {
                            b.steps.add(new ResourceStep(Change.of(Category.RESOURCES, Action.UPDATE, what, String.join("; ", drift), d.name()), r, owner));
                        }
                    }
                    default -> throw new IllegalStateException(st.kind().toString());
                }
            }
        }
    }
}
