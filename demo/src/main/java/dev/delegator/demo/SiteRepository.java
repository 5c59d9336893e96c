package dev.delegator.demo;

import dev.delegator.localsshd.Command;
import java.nio.file.Path;

/**
 * The caller's Mercurial repository and the small site pushed into it: an {@code index.html} and
 * the {@code .deploy/run} entry point that hg-deploy runs as the delegate, which publishes the
 * page into the delegate's web directory.
 */
final class SiteRepository {
    private SiteRepository() {}

    /** {@code hg init} as the caller (so the caller owns it, as the hg account owns real repositories). */
    static void create(DemoRun run) {
        // the parent stays root's; the repository directory itself is the caller's, as /srv/hg/NAME would be
        Dirs.create(run.repository());
        Command.of("chown", run.caller() + ":", run.repository().toString()).check();
        Command.of("hg", "init", run.repository().toString()).as(run.caller())
                .env("HOME", run.callerHome().toString()).env("HGRCPATH", "").check();
    }

    static String indexHtml(DemoRun run) {
        return "<!doctype html>\n<title>delegator demo</title>\n"
                + "<h1>Deployed by " + run.delegate() + "</h1>\n"
                + "<p>Pushed to " + run.caller() + "'s repository; its hook asked delegator to run <code>deploy</code> as the delegate.</p>\n";
    }

    /** The deploy entry point: runs as the delegate in its working copy at the pushed revision. */
    static String deployRun() {
        return "#!/bin/sh\n"
                + "# .deploy/run: the site's deploy step; hg-deploy runs it as the delegate, in its working copy\n"
                + "set -eu\n"
                + "www=\"$HOME/www\"\n"
                + "mkdir -p \"$www\"\n"
                + "cp index.html \"$www/index.html.new\"\n"
                + "mv \"$www/index.html.new\" \"$www/index.html\"\n"
                + "echo \"deploy: running as $(id -un) (uid $(id -u)), revision $DELEGATOR_REVISION\"\n"
                + "echo \"deploy: published $www/index.html ($(wc -c <\"$www/index.html\") bytes)\"\n";
    }

    /** Where the published page ends up. */
    static Path publishedPage(DemoRun run) {
        return run.delegateWebDir().resolve("index.html");
    }
}
