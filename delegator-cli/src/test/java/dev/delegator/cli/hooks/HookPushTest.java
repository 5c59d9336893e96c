package dev.delegator.cli.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.run.Delegates;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real hg and git pushes into repositories whose hooks were installed by 'delegator hook install'. */
class HookPushTest {

    /** The fixture whose environment (the agent's directory) the hooks get; tests set it first. */
    private Delegates current;

    CommandResult in(Path dir, String... command) {
        List<String> c = new ArrayList<>(List.of("sh", "-c", "cd \"$0\" && exec \"$@\"", dir.toString()));
        c.addAll(List.of(command));
        Map<String, String> env = new java.util.HashMap<>(Map.of("HGPLAIN", "1", "HGUSER", "test <test@example.org>",
                "GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.org", "GIT_COMMITTER_NAME", "t",
                "GIT_COMMITTER_EMAIL", "t@example.org", "HOME", dir.toString()));
        if (current != null) {
            env.putAll(current.environment());
        }
        CommandResult r = ExternalCommand.run(c, env, null, Duration.ofSeconds(120));
        return r;
    }

    static List<String> install(Delegates d, String kind, Path repo, String name) {
        List<String> a = new ArrayList<>(List.of("hook", "install", "--" + kind, repo.toString(), "--delegator",
                d.launcher.toString(), name, "--"));
        a.addAll(d.layoutOptions());
        return a;
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void hgPushRunsTheDeployAsTheDelegateAndThePusherSeesItsOutput(Delegates.Mode mode) throws Exception {
        Prerequisites.requireCommand("hg");
        try (Delegates d = Delegates.start("blog", 1, mode)) {
            current = d;
            Path srv = d.root.resolve("srv");
            Path work = d.root.resolve("work");
            assertEquals(0, in(d.root.path(), "hg", "init", srv.toString()).exitCode());
            CommandResult inst = d.delegator(Map.of(), null, install(d, "hg", srv, "blog").toArray(String[]::new));
            assertEquals(0, inst.exitCode(), inst.toString());
            assertEquals("added the blog hook to " + srv.resolve(".hg/hgrc") + "\n", inst.stdout());
            String hgrc = Files.readString(srv.resolve(".hg/hgrc"));
            CommandResult again = d.delegator(Map.of(), null, install(d, "hg", srv, "blog").toArray(String[]::new));
            assertEquals("the blog hook in " + srv.resolve(".hg/hgrc") + " is already installed\n", again.stdout());
            assertEquals(hgrc, Files.readString(srv.resolve(".hg/hgrc")));

            assertEquals(0, in(d.root.path(), "hg", "clone", srv.toString(), work.toString()).exitCode());
            Files.writeString(work.resolve("index.html"), "hello\n");
            assertEquals(0, in(work, "hg", "commit", "-A", "-m", "first").exitCode());
            Files.writeString(work.resolve("index.html"), "hello again\n");
            assertEquals(0, in(work, "hg", "commit", "-m", "second").exitCode());
            String tip = in(work, "hg", "log", "-r", "tip", "--template", "{node}").stdout();
            CommandResult push = in(work, "hg", "push");
            assertEquals(0, push.exitCode(), push.toString());
            assertTrue(push.stdout().contains("deployed " + tip + " as " + d.user.name() + "\n"), push.toString());
            assertEquals(1, Files.readAllLines(d.auditLog).size());
            d.assertAgentRan(1);
        }
    }

    @Test
    void hgPushExitsZeroWhenTheChangegroupHookFailsAndShowsTheWarning() throws Exception {
        Prerequisites.requireCommand("hg");
        try (Delegates d = Delegates.start("blog", 1, root -> "#!/bin/sh\necho 'deploy failed' >&2\nexit 3\n")) {
            Path srv = d.root.resolve("srv");
            Path work = d.root.resolve("work");
            assertEquals(0, in(d.root.path(), "hg", "init", srv.toString()).exitCode());
            assertEquals(0, d.delegator(Map.of(), null, install(d, "hg", srv, "blog").toArray(String[]::new)).exitCode());
            assertEquals(0, in(d.root.path(), "hg", "clone", srv.toString(), work.toString()).exitCode());
            Files.writeString(work.resolve("index.html"), "hello\n");
            assertEquals(0, in(work, "hg", "commit", "-A", "-m", "first").exitCode());
            CommandResult push = in(work, "hg", "push");
            // changegroup runs after the transaction: hg only warns, and the changesets stay pushed
            assertEquals(0, push.exitCode(), push.toString());
            assertTrue(push.stderr().contains("deploy failed\n"), push.toString());
            assertTrue(push.stderr().contains("warning: changegroup.delegator-blog hook exited with status 3"), push.toString());
            assertEquals(1, in(srv, "hg", "log", "--template", "{node}\n").stdout().lines().count());
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void aPostReceiveLineThatIsNotUtf8IsRefusedAndNothingIsSent(Delegates.Mode mode) throws Exception {
        try (Delegates d = Delegates.start("site", 1, mode)) {
            current = d;
            byte[] stdin = ("0".repeat(40) + " " + "1".repeat(40) + " refs/heads/ma\u00ffin\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            List<String> args = new ArrayList<>(List.of("hook", "git", "site", "--ref", "main"));
            args.addAll(d.layoutOptions());
            CommandResult r = d.delegator(Map.of(), stdin, args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), r.toString());
            assertEquals("delegator: post-receive stdin is not valid UTF-8; nothing was sent\n", r.stderr());
            assertEquals(false, Files.exists(d.auditLog) && !Files.readString(d.auditLog).isEmpty(), "nothing was sent");
            d.assertAgentRan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Delegates.Mode.class)
    void gitPushRunsTheDeployAndAnExistingPostReceiveStillSeesTheRefs(Delegates.Mode mode) throws Exception {
        Prerequisites.requireCommand("git");
        try (Delegates d = Delegates.start("site", 1, mode)) {
            current = d;
            Path srv = d.root.resolve("srv.git");
            Path work = d.root.resolve("work");
            assertEquals(0, in(d.root.path(), "git", "init", "-q", "--bare", "-b", "main", srv.toString()).exitCode());
            Path hook = srv.resolve("hooks/post-receive");
            Files.writeString(hook, "#!/bin/sh\nwhile read old new ref; do echo \"existing hook saw $ref\"; done\n");
            hook.toFile().setExecutable(true);
            CommandResult inst = d.delegator(Map.of(), null, install(d, "git", srv, "site").toArray(String[]::new));
            assertEquals(0, inst.exitCode(), inst.toString());
            String installed = Files.readString(hook);
            d.delegator(Map.of(), null, install(d, "git", srv, "site").toArray(String[]::new));
            assertEquals(installed, Files.readString(hook), "a second install changes nothing");

            assertEquals(0, in(d.root.path(), "git", "clone", "-q", srv.toString(), work.toString()).exitCode());
            Files.writeString(work.resolve("index.html"), "hello\n");
            assertEquals(0, in(work, "git", "add", "index.html").exitCode());
            assertEquals(0, in(work, "git", "commit", "-q", "-m", "first").exitCode());
            assertEquals(0, in(work, "git", "checkout", "-q", "-b", "topic").exitCode());
            String sha = in(work, "git", "rev-parse", "HEAD").stdout().trim();
            CommandResult push = in(work, "git", "push", "-q", "origin", "main", "topic");
            assertEquals(0, push.exitCode(), push.toString());
            // git shows hook output to the pusher as "remote: ..." on stderr
            assertTrue(push.stderr().contains("remote: deployed " + sha + " refs/heads/main as " + d.user.name()), push.toString());
            assertTrue(!push.stderr().contains("refs/heads/topic as"), "only the default branch is deployed: " + push);
            assertTrue(push.stderr().contains("remote: existing hook saw refs/heads/main"), push.toString());
            assertTrue(push.stderr().contains("remote: existing hook saw refs/heads/topic"), push.toString());
            d.assertAgentRan(1);
        }
    }
}
