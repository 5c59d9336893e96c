package dev.delegator.plan;

import java.io.IOException;
import java.util.List;

/**
 * A unit of work of a plan. Each step is idempotent and leaves every file it touches either old
 * or new (atomic replace), so an apply killed between or inside steps is completed by the next
 * apply, which plans again from what is on disk.
 */
public interface Step {
    /** What this step changes, for display (at least one). */
    List<Change> changes();

    /** Carries the step out. */
    void execute(Execution ex) throws IOException;
}
