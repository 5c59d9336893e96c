package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import dev.delegator.install.Script;
import dev.delegator.install.ScriptSource;
import java.io.IOException;

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
        // src.version() is the dispatcher's; each script's own version line is compared here
        for (Script s : src.scripts()) {
            String bundled = ScriptSource.versionOf(s.content());
            b.planFile(Category.SCRIPTS, b.layout.libDir().resolve(s.relativePath()), s.content(), FileOwner.root(),
                    FileStatus.perms(ScriptSource.MODE), null, installed -> {
                        String version = ScriptSource.versionOf(installed);
                        return version.equals(bundled)
                                ? "edited: differs from this build's copy of version " + bundled
                                : "stale: installed version " + version + ", this build has version " + bundled;
                    });
        }
    }
}
