package dev.delegator.plan;

import dev.delegator.files.ApplyLock;
import dev.delegator.files.AtomicFile;
import dev.delegator.files.DirectorySync;
import dev.delegator.manifest.Manifest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Carries a plan out, the one executor of every change delegator makes on a host (apply's, and
 * revoke's): one at a time on a host (the apply lock, released by the kernel even on kill -9),
 * planned afresh under the lock from what is on disk, refused as a whole if it has a blocker,
 * then executed step by step (a run of account creations two at a time: {@link ConcurrentSteps}).
 * Every step leaves the files it touches old or new, so an
 * interrupted run is finished by the next one; the directories written to are fsynced once each
 * after the steps ({@link DirectorySync#deferred()}), before the run returns. After the steps it plans again: that second plan
 * is empty unless something outside changed the machine meanwhile.
 */
public final class Applier {
    private Applier() {}

    /** How long apply and revoke wait for another one to finish, unless told otherwise ({@code --lock-wait}). */
    public static final long DEFAULT_LOCK_WAIT_SECONDS = 120;

    /**
     * @param reload SIGHUP a running sshd after changing the drop-in (default true; {@code --no-reload})
     * @param lockWait how long to wait for another apply or revoke to finish (default {@link #DEFAULT_LOCK_WAIT_SECONDS})
     * @param progress told before each step
     */
    public record Options(boolean reload, Duration lockWait, Progress progress) {
        public Options {
            Objects.requireNonNull(lockWait, "lockWait");
            Objects.requireNonNull(progress, "progress");
        }

        public static Options defaults() {
            return new Options(true, Duration.ofSeconds(DEFAULT_LOCK_WAIT_SECONDS), Progress.NONE);
        }
    }

    /** Makes a plan from what is on the target now; it only reads. */
    @FunctionalInterface
    public interface PlanSource {
        Plan plan(Target target) throws IOException;
    }

    /** What a run did: the plan it executed, the plan of what is left afterwards, notes (sshd reloaded). */
    public record Result(Plan executed, Plan after, List<String> notes) {}

    /** Makes {@code target} match {@code manifest}. */
    public static Result apply(Manifest manifest, Target target, Options options) throws IOException {
        return execute(t -> Planner.plan(manifest, t), target, options);
    }

    /**
     * Plans with {@code source} under the lock and carries the plan out.
     *
     * @throws PlanRefusedException when the plan has a blocker; nothing was changed
     */
    public static Result execute(PlanSource source, Target target, Options options) throws IOException {
        java.nio.file.Files.createDirectories(target.layout().applyLock().getParent());
        try (ApplyLock lock = ApplyLock.acquire(target.layout().applyLock(), options.lockWait())) {
            Plan plan = source.plan(target);
            if (!plan.blockers().isEmpty()) {
                throw new PlanRefusedException(plan.blockers());
            }
            // one fsync per directory written to, when the steps are done (or one failed), not one per file
            DirectorySync sync = DirectorySync.deferred();
            Execution ex = new Execution(target, options.reload(), AtomicFile.DEFAULT_LOCK_WAIT, sync);
            List<Step> steps = plan.steps();
            try {
                for (int i = 0; i < steps.size(); ) {
                    int end = ConcurrentSteps.runEnd(steps, i);
                    if (end - i > 1) {
                        ConcurrentSteps.execute(steps.subList(i, end), i, steps.size(), ex, options.progress());
                    } else {
                        options.progress().starting(i + 1, steps.size(), steps.get(i));
                        steps.get(i).execute(ex);
                    }
                    i = end;
                }
            } catch (IOException | RuntimeException e) {
                // what was done before the failure is made durable all the same
                try {
                    sync.flush();
                } catch (IOException f) {
                    e.addSuppressed(f);
                }
                throw e;
            }
            sync.flush();
            // nothing done: planning again would only repeat the same reads
            Plan after = steps.isEmpty() ? plan : source.plan(target);
            return new Result(plan, after, ex.notes());
        }
    }
}
