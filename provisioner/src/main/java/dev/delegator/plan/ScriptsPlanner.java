package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.files.FileSnapshot;
import dev.delegator.install.Script;
import dev.delegator.install.ScriptSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Plans the dispatcher and deploy scripts under /usr/lib/delegator (root 0755), stale or edited copies replaced. */
final class ScriptsPlanner {
    private final PlanBuilder b;

    ScriptsPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planScripts() throws IOException {
        b.ensureDir(Category.SCRIPTS, b.layout.libDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        b.ensureDir(Category.SCRIPTS, b.layout.deployDir(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        ScriptSource src = b.t.scripts();
        // src.version() is the dispatcher's; each script's own version line is compared below
        for (Script s : src.scripts()) {
            Path p = b.layout.libDir().resolve(s.relativePath());
            FileSnapshot snap = AtomicFile.read(p);
            FileStatus st = FileStatus.of(p);
            String reason;
            Action a = Action.UPDATE;
            if (!snap.exists()) {
                reason = "missing";
                a = Action.CREATE;
            } else if (!Arrays.equals(snap.content(), s.content())) {
                String installed = ScriptSource.versionOf(snap.content());
                String bundled = ScriptSource.versionOf(s.content());
                reason = installed.equals(bundled)
                        ? "edited: differs from this build's copy of version " + bundled
                        : "stale: installed version " + installed + ", this build has version " + bundled;
            } else {
                List<String> drift = st.drift(FileOwner.root(), FileStatus.perms(ScriptSource.MODE));
                if (drift.isEmpty()) {
                    continue;
                }
                reason = String.join("; ", drift);
            }
            b.steps.add(new FileStep(Change.of(Category.SCRIPTS, a, p.toString(), reason, null), p, s.content(), FileOwner.root(), FileStatus.perms(ScriptSource.MODE), snap));
        }
    }
}
