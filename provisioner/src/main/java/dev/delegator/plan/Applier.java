package dev.delegator.plan;

import dev.delegator.files.ApplyLock;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Carries a plan out: one apply at a time on a host (the apply lock, released by the kernel even
 * on kill -9), planned afresh under the lock from what is on disk, refused as a whole if it has
 * a blocker, then executed step by step. Every step leaves the files it touches old or new, so an
 * interrupted apply is finished by the next one. After the steps it plans again: that second
 * plan is empty unless something outside changed the machine meanwhile.
 */
public final class Applier {
    private Applier() {}

    /**
     * @param reload SIGHUP a running sshd after changing the drop-in (default true; {@code --no-reload})
     * @param lockWait how long to wait for another apply to finish
     * @param progress told before each step
     */
    public record Options(boolean reload, Duration lockWait, Progress progress) {
        public Options {
            Objects.requireNonNull(lockWait, "lockWait");
            Objects.requireNonNull(progress, "progress");
        }

        public static Options defaults() {
            return new Options(true, Duration.ofMinutes(2), Progress.NONE);
        }
    }

    /** What apply did: the plan it executed, the plan of what is left afterwards, notes (sshd reloaded). */
    public record Result(Plan executed, Plan after, List<String> notes) {}

    public static Result apply(Manifest manifest, Target target, Options options) throws IOException {
        java.nio.file.Files.createDirectories(target.layout().applyLock().getParent());
        try (ApplyLock lock = ApplyLock.acquire(target.layout().applyLock(), options.lockWait())) {
            Plan plan = Planner.plan(manifest, target);
            if (!plan.blockers().isEmpty()) {
                throw new PlanRefusedException(plan.blockers());
            }
            Execution ex = new Execution(target, options.reload(), Duration.ofSeconds(30));
            List<Step> steps = plan.steps();
            for (int i = 0; i < steps.size(); i++) {
                options.progress().starting(i + 1, steps.size(), steps.get(i));
                steps.get(i).execute(ex);
            }
            // nothing done: planning again would only repeat the same reads
            Plan after = steps.isEmpty() ? plan : Planner.plan(manifest, target);
            return new Result(plan, after, ex.notes());
        }
    }
}
