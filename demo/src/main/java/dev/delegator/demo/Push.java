package dev.delegator.demo;

import dev.delegator.localsshd.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The push a developer would make: clone the caller's repository over HTTP (as root, another
 * account than the caller), add the site, commit, push. The push's output, with the hook's
 * {@code remote:} lines from the delegate, is shown as it arrives.
 */
final class Push {
    private Push() {}

    /** What the push showed. */
    record Outcome(String node, List<String> remoteLines) {}

    static Outcome commitAndPush(DemoRun run, HgServe serve, Console console) {
        Dirs.create(run.clone().getParent());
        hg(run, "clone", "--quiet", serve.url(), run.clone().toString()).check();
        Dirs.write(run.clone().resolve("index.html"), SiteRepository.indexHtml(run), Dirs.FILE_0644);
        Dirs.write(run.clone().resolve(".deploy/run"), SiteRepository.deployRun(), Dirs.FILE_0755);
        hg(run, "--repository", run.clone().toString(), "add", "--quiet").check();
        hg(run, "--repository", run.clone().toString(), "commit", "--message", "site: first page").check();
        String node = hg(run, "--repository", run.clone().toString(), "log", "--rev", ".", "--template", "{node}").check().out().strip();
        console.detail("$ hg push   (changeset " + node.substring(0, 12) + ")");
        List<String> remote = new ArrayList<>();
        Command.Result r = hg(run, "--repository", run.clone().toString(), "push", serve.url())
                .timeout(Duration.ofMinutes(3))
                .run(line -> {
                    console.quoted(line);
                    if (line.startsWith("remote: ")) {
                        remote.add(line.substring("remote: ".length()));
                    }
                });
        if (r.status() != 0) {
            throw new DemoFailure("hg push failed (exit " + r.status() + "): " + r.firstErrorLine());
        }
        for (String line : remote) {
            if (line.contains("hook exited with status") || line.contains("hook failed")) {
                throw new DemoFailure("the changegroup hook failed: " + line.strip());
            }
        }
        return new Outcome(node, remote);
    }

    private static Command hg(DemoRun run, String... args) {
        List<String> argv = new ArrayList<>(List.of("hg", "--config", "ui.username=delegator demo <demo@localhost>"));
        argv.addAll(List.of(args));
        // HGRCPATH empty: none of the admin's own Mercurial settings take part
        return Command.of(argv).env("HOME", run.dir().toString()).env("HGRCPATH", "").env("HGPLAIN", "1");
    }
}
