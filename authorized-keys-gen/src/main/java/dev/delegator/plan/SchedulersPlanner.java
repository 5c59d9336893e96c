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
 * {@code at.deny} root:daemon 0640; at reads it as daemon); a new one is root 0644. An
 * {@code cron.allow}/{@code at.allow} (which, where it exists, is consulted instead of the deny
 * file) that names a delegate is refused: the delegate would keep the tool.
 */
final class SchedulersPlanner {
    private final PlanBuilder b;

    SchedulersPlanner(PlanBuilder b) {
        this.b = b;
    }

    void planSchedulers(List<Delegation> delegateSide) throws IOException {
        SortedSet<String> users = new TreeSet<>();
        delegateSide.forEach(d -> users.add(d.delegate().user()));
        deny(b.layout.cronDeny(), b.layout.cronAllow(), "crontab", users);
        deny(b.layout.atDeny(), b.layout.atAllow(), "at", users);
    }

    private void deny(Path denyFile, Path allowFile, String tool, SortedSet<String> users) throws IOException {
        FileStatus allow = FileStatus.of(allowFile);
        if (allow.kind() == FileStatus.Kind.FILE) {
            for (String line : AtomicFile.read(allowFile).text().split("\n")) {
                if (users.contains(line.trim())) {
                    b.blockers.add(new Blocker(Blocker.Kind.REFUSED, allowFile + " lets delegate " + line.trim() + " use " + tool
                            + " (a job would run outside the sandbox); remove that line"));
                }
            }
        }
        FileStatus st = FileStatus.of(denyFile);
        String current = st.kind() == FileStatus.Kind.FILE ? AtomicFile.read(denyFile).text() : "";
        if (!st.exists() && users.isEmpty()) {
            return;
        }
        b.ensureDir(Category.SCHEDULERS, denyFile.getParent(), FileOwner.root(), PlanBuilder.DIR_0755, null);
        String wanted = SchedulerDeny.render(current, users);
        FileOwner owner = st.kind() == FileStatus.Kind.FILE ? new FileOwner(st.user(), st.group()) : FileOwner.root();
        b.planFile(Category.SCHEDULERS, denyFile, wanted.getBytes(StandardCharsets.UTF_8), owner,
                st.kind() == FileStatus.Kind.FILE ? st.mode() : PlanBuilder.FILE_0644, null);
    }
}
