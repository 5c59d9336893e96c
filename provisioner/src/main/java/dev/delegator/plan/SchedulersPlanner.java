package dev.delegator.plan;

import dev.delegator.files.AtomicFile;
import dev.delegator.files.FileOwner;
import dev.delegator.manifest.Delegation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Denies this host's delegate accounts {@code cron} and {@code at}: the managed block of
 * {@link SchedulerDeny} in {@code /etc/cron.deny} and {@code /etc/at.deny} lists exactly the
 * delegates the manifest puts here. An existing file keeps its owner and mode (Debian ships
 * {@code at.deny} root:daemon 0640; at reads it as daemon); a new {@code cron.deny} is root 0644.
 * Where an allow file exists the tool reads it instead of the deny file: one that names a delegate
 * is refused (the delegate would keep the tool), one that does not already denies it. Without
 * either file the two tools differ: Debian's cron lets everyone in, so {@code cron.deny} is
 * created; at lets only root in, so no {@code at.deny} is created (an at.deny would open at to
 * every other account).
 */
final class SchedulersPlanner {
    private final PlanBuilder b;

    SchedulersPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planSchedulers(List<Delegation> delegateSide) throws IOException {
        SortedSet<String> users = new TreeSet<>();
        delegateSide.forEach(d -> users.add(d.delegate().user()));
        deny(b.layout.cronDeny(), b.layout.cronAllow(), "crontab", true, users);
        deny(b.layout.atDeny(), b.layout.atAllow(), "at", false, users);
    }

    private void deny(Path denyFile, Path allowFile, String tool, boolean createDeny, SortedSet<String> users) throws IOException {
        FileStatus allow = FileStatus.of(allowFile);
        if (allow.exists()) {
            if (allow.kind() != FileStatus.Kind.FILE) {
                b.blockers.add(new Blocker(Blocker.Kind.REFUSED, allowFile + " is not a regular file; remove it"));
                return;
            }
            for (String line : AtomicFile.read(allowFile).text().split("\n")) {
                if (users.contains(line.trim())) {
                    b.blockers.add(new Blocker(Blocker.Kind.REFUSED, allowFile + " lets delegate " + line.trim() + " use " + tool
                            + " (a job would run outside the sandbox); remove that line"));
                }
            }
            return;
        }
        FileStatus st = FileStatus.of(denyFile);
        if (!st.exists() && (users.isEmpty() || !createDeny)) {
            return;
        }
        String current = st.kind() == FileStatus.Kind.FILE ? AtomicFile.read(denyFile).text() : "";
        b.ensureDir(Category.SCHEDULERS, denyFile.getParent(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        String wanted = SchedulerDeny.render(current, users);
        FileOwner owner = st.kind() == FileStatus.Kind.FILE ? new FileOwner(st.user(), st.group()) : FileOwner.root();
        b.planFile(Category.SCHEDULERS, denyFile, wanted.getBytes(StandardCharsets.UTF_8), owner,
                st.kind() == FileStatus.Kind.FILE ? st.mode() : PlanBuilder.FILE_0644, null);
    }
}
