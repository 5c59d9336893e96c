package dev.delegator.it.vcs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.local.LocalHost;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The push-to-deploy fixtures on their own: a push to a repository served by its service account
 * runs the repository's hook as that account, with the pusher's commit, and the pushing client
 * sees the hook's output. Scenarios 1 and 2 put {@code delegator hook} in that hook.
 */
@DisplayName("the hg and git servers the push-to-deploy scenarios push to")
class VcsServersIT {
    private static LocalHost host;
    private static TestUser hg;
    private static TestUser git;

    @BeforeAll
    static void start() {
        Prerequisites.requireCommand("hg", "git", "runuser");
        host = LocalHost.start("vcs", null);
        hg = host.users().create("hgsrv", LocalHost.rootOwnedDir(host.root().resolve("home")));
        git = host.users().create("gitsrv", host.root().resolve("home"));
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    @DisplayName("hg serve runs the changegroup hook as the hg account and the pusher sees its output")
    void hgPushRunsHookAsServiceAccount() {
        try (HgServer server = HgServer.create(host.root(), hg, "blog")) {
            server.appendHgrc("[hooks]\nchangegroup.it = echo \"hook ran as $(id -un) for $HG_NODE\"\n");
            server.start();
            WorkingCopy clone = WorkingCopy.hgClone(server.url(), host.root().resolve("client-hg"));
            String node = clone.write(".deploy/run", "#!/bin/sh\necho deploying\n", true).commit("first");
            CommandResult push = clone.push();
            assertEquals(0, push.exitCode(), push::toString);
            assertTrue(push.stdout().contains("remote: hook ran as " + hg.name() + " for " + node), push::toString);
        }
    }

    @Test
    @DisplayName("git daemon runs post-receive as the git account and the pusher sees its output")
    void gitPushRunsHookAsServiceAccount() {
        try (GitServer server = GitServer.create(host.root(), git, "blog")) {
            server.writeHook("post-receive", "#!/bin/sh\nwhile read old new ref; do echo \"hook ran as $(id -un) for $new $ref\"; done\n");
            server.start();
            WorkingCopy clone = WorkingCopy.gitClone(server.url(), host.root().resolve("client-git"));
            String commit = clone.write(".deploy/run", "#!/bin/sh\necho deploying\n", true).commit("first");
            CommandResult push = clone.push();
            assertEquals(0, push.exitCode(), push::toString);
            assertTrue(push.stderr().contains("remote: hook ran as " + git.name() + " for " + commit + " refs/heads/main"),
                    push::toString);
        }
    }
}
