package dev.delegator.plan;

import dev.delegator.dispatchconfig.DispatchConfig;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.manifest.Delegation;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Plans the dispatcher configs of the delegations whose delegate lives here; configs of others are removed. */
final class DispatchPlanner {
    private final PlanBuilder b;

    DispatchPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planDispatch(Manifest m, List<Delegation> delegateSide) throws IOException {
        Set<Path> wanted = new HashSet<>();
        if (!delegateSide.isEmpty()) {
            b.ensureDir(Category.DISPATCH, b.layout.etcDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
            b.ensureDir(Category.DISPATCH, b.layout.dispatchConfDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        }
        for (Delegation d : delegateSide) {
            Path p = b.layout.dispatchConf(d.name());
            wanted.add(p);
            byte[] content = DispatchConfig.render(d, m.source()).getBytes(StandardCharsets.UTF_8);
            b.planFile(Category.DISPATCH, p, content, FileOwner.root(), PlanBuilder.FILE_0644, d.name());
        }
        for (Path p : PlanBuilder.list(b.layout.dispatchConfDir())) {
            String n = p.getFileName().toString();
            if (n.endsWith(".conf") && !n.startsWith(".") && !wanted.contains(p)) {
                b.steps.add(new DeleteStep(Change.of(Category.DISPATCH, Action.REMOVE, p.toString(), "delegation no longer applied on this host",
                        n.substring(0, n.length() - 5)), AtomicFile.read(p)));
            }
        }
    }
}
