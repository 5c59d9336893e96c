package dev.delegator.demo;

import java.nio.file.Path;
import java.util.List;

/** {@code delegator demo --clean}: removes every run a kept or interrupted demo left below the base directory. */
public final class CleanAll {
    private CleanAll() {}

    /** @return true when everything found was removed */
    public static boolean run(Path base, Console console) {
        List<Path> runs = Cleanup.runsIn(base);
        if (runs.isEmpty()) {
            console.line("nothing to clean: no demo runs in " + base);
            return true;
        }
        boolean ok = true;
        for (Path dir : runs) {
            DemoState state = DemoState.read(dir);
            if (state.inProgress()) {
                console.line("demo run " + dir.getFileName() + " is still running (pid " + state.get(DemoState.RUNNING).orElse("?")
                        + "); left alone");
                continue;
            }
            console.step("removing demo run " + dir.getFileName() + " (" + dir + ")");
            List<String> problems = new Cleanup().clean(state, console);
            for (String p : problems) {
                console.failure(p);
            }
            ok &= problems.isEmpty();
        }
        return ok;
    }
}
