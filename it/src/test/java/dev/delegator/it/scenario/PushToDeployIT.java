package dev.delegator.it.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.local.RunAs;
import dev.delegator.it.vcs.GitServer;
import dev.delegator.it.vcs.HgServer;
import dev.delegator.it.vcs.WorkingCopy;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenarios 1 and 2 of the integration issue, the seed's case: a service account ({@code hg}- or
 * {@code git}-like, a random name) serves a repository; its hook, installed by
 * {@code delegator hook install}, delegates to a per-site delegate provisioned by the real
 * {@code delegator apply}; a client pushes a commit whose {@code .deploy/run} writes the site into
 * the delegate's web directory (a manifest resource). The pusher sees the deploy's output, the
 * files belong to the delegate, and the deploy code (hostile by assumption, running as the
 * delegate) tries to write the service account's repositories and read the caller's private key,
 * and reports that both were denied.
 *
 * <p>One private sshd, one manifest with both delegations, one apply for the class.
 */
@DisplayName("push-to-deploy on localhost: hook install, apply, push, deploy as the delegate")
class PushToDeployIT {
    private static Provisioner host;
    private static TestUser hg;
    private static TestUser git;
    private static HgServer hgServer;
    private static GitServer gitServer;
    private static String hgDelegation;
    private static String gitDelegation;
    private static String hgDelegate;
    private static String gitDelegate;
    private static Path launcher;

    @BeforeAll
    static void provision() {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("hg", "git", "runuser", "sshd");
        DelegatorCli.jar();
        host = Provisioner.start("push");
        Path homes = host.dir("home");
        hg = host.host().users().create("hgsrv", homes);
        git = host.host().users().create("gitsrv", homes);
        launcher = DelegatorCli.writeLauncher(host.dir("bin"));
        hgServer = HgServer.create(host.root(), hg, "blog");
        gitServer = GitServer.create(host.root(), git, "site");
        String r = Provisioner.random();
        hgDelegation = "blog-" + r;
        gitDelegation = "site-" + r;
        hgDelegate = host.delegate("dlg-blog-" + r);
        gitDelegate = host.delegate("dlg-site-" + r);
        host.dir("srv/www");
        String deployDir = host.layout().deployDir().toString();
        host.apply("version: 1\n"
                + "delegations:\n"
                + "  " + hgDelegation + ":\n"
                + "    caller: {user: " + hg.name() + "}\n"
                + "    delegate: {user: " + hgDelegate + ", home: " + homes.resolve(hgDelegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: " + deployDir + "/hg-deploy, args: ['[0-9a-f]{40}']}\n"
                + "    resources:\n"
                + "      - {path: " + webDir(hgDelegation) + ", mode: '0755', owner: delegate, kind: dir}\n"
                + "    sandbox: {network: full, timeout: 2m}\n"
                + "    settings: {source: " + hgServer.repository() + "}\n"
                + "  " + gitDelegation + ":\n"
                + "    caller: {user: " + git.name() + "}\n"
                + "    delegate: {user: " + gitDelegate + ", home: " + homes.resolve(gitDelegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      deploy: {run: " + deployDir + "/git-deploy, args: ['[0-9a-f]{40}', 'refs/heads/[a-z]+']}\n"
                + "    resources:\n"
                + "      - {path: " + webDir(gitDelegation) + ", mode: '0755', owner: delegate, kind: dir}\n"
                + "    sandbox: {network: full, timeout: 2m}\n"
                + "    settings: {source: " + gitServer.repository() + "}\n");
    }

    @AfterAll
    static void cleanUp() {
        if (hgServer != null) {
            hgServer.close();
        }
        if (gitServer != null) {
            gitServer.close();
        }
        if (host != null) {
            host.close();
        }
    }

    private static Path webDir(String delegation) {
        return host.root().resolve("srv/www").resolve(delegation);
    }

    @Test
    @DisplayName("hg: changegroup hook from 'delegator hook install --hg'; the pusher sees the deploy; the site is the delegate's; "
            + "the deploy cannot write the hg account's repository nor read the caller key")
    void hgPushToDeploy() throws IOException {
        installHook("--hg", hg, hgServer.repository(), hgDelegation);
        assertTrue(Files.readString(hgServer.hgrc()).contains("hook hg " + hgDelegation), "the hook entry is in .hg/hgrc");
        hgServer.start();
        WorkingCopy clone = WorkingCopy.hgClone(hgServer.url(), host.root().resolve("client-hg"));
        String node = site(clone, hgDelegation, hgServer.repository(), hg).commit("site: first page");

        CommandResult push = clone.push();
        String shown = push.stdout() + push.stderr();

        assertEquals(0, push.exitCode(), push::toString);
        assertDeployed(shown, hgDelegation, hgDelegate, hg, node);
        assertTrue(shown.contains("remote: deploy: revision " + node), shown);
    }

    @Test
    @DisplayName("git: post-receive hook from 'delegator hook install --git'; the pusher sees the deploy; the site is the delegate's; "
            + "the deploy cannot write the git account's repository nor read the caller key")
    void gitPushToDeploy() throws IOException {
        installHook("--git", git, gitServer.repository(), gitDelegation);
        Path hook = gitServer.repository().resolve("hooks/post-receive");
        assertTrue(Files.isExecutable(hook) && Files.readString(hook).contains("hook git " + gitDelegation), "post-receive installed");
        gitServer.start();
        WorkingCopy clone = WorkingCopy.gitClone(gitServer.url(), host.root().resolve("client-git"));
        String commit = site(clone, gitDelegation, gitServer.repository(), git).commit("site: first page");

        CommandResult push = clone.push();
        String shown = push.stdout() + push.stderr();

        assertEquals(0, push.exitCode(), push::toString);
        assertDeployed(shown, gitDelegation, gitDelegate, git, commit);
        assertTrue(shown.contains("remote: deploy: revision " + commit + " ref refs/heads/main"), shown);
    }

    /** {@code delegator hook install} run by the service account itself, as it would on its own repository. */
    private static void installHook(String kind, TestUser owner, Path repository, String delegation) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), "hook", "install", kind, repository.toString(), delegation,
                "--delegator", launcher.toString(), "--",
                "--manifest", host.layout().manifest().toString(), "--root", host.root().toString(),
                "--audit-log", owner.home().resolve("audit.log").toString(), "--timeout", "2m"));
        CommandResult r = RunAs.run(owner, Map.of(), argv);
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("added the " + delegation + " hook"), r::toString);
    }

    /**
     * The pushed site: an index.html and a {@code .deploy/run} that publishes it and then, as
     * hostile deploy code would, tries to write the service account's repository and read the
     * caller's private key, reporting each attempt.
     */
    private static WorkingCopy site(WorkingCopy clone, String delegation, Path repository, TestUser caller) {
        Path key = host.layout().callerKey(caller.name(), delegation);
        String run = "#!/bin/sh\n"
                + "set -u\n"
                + "www='" + webDir(delegation) + "'\n"
                + "cp index.html \"$www/index.html\" || exit 1\n"
                + "echo \"deploy: as $(id -un)\"\n"
                + "echo \"deploy: revision $DELEGATOR_REVISION${DELEGATOR_REF:+ ref $DELEGATOR_REF}\"\n"
                + "try() { what=$1; shift; if \"$@\" 2>/dev/null; then echo \"attack: $what ALLOWED\"; else echo \"attack: $what denied\"; fi; }\n"
                + "try 'write repository' touch '" + repository + "/delegate-was-here'\n"
                + "try 'write repository config' sh -c 'echo \"[hooks]\" >> \"$1\"' - '" + repository
                + (repository.toString().endsWith(".git") ? "/config" : "/.hg/hgrc") + "'\n"
                + "try 'read caller key' cat '" + key + "'\n"
                + "try 'list caller key directory' ls '" + key.getParent() + "'\n";
        return clone.write("index.html", "<h1>" + delegation + "</h1>\n", false).write(".deploy/run", run, true);
    }

    private static void assertDeployed(String shown, String delegation, String delegate, TestUser caller, String revision)
            throws IOException {
        assertTrue(shown.contains("remote: deploy: as " + delegate), "the pusher sees the deploy's output: " + shown);
        assertTrue(shown.contains("remote: attack: write repository denied"), shown);
        assertTrue(shown.contains("remote: attack: write repository config denied"), shown);
        assertTrue(shown.contains("remote: attack: read caller key denied"), shown);
        assertTrue(shown.contains("remote: attack: list caller key directory denied"), shown);
        assertFalse(shown.contains("ALLOWED"), shown);
        Path page = webDir(delegation).resolve("index.html");
        assertEquals("<h1>" + delegation + "</h1>\n", Files.readString(page));
        assertEquals(delegate, Files.getOwner(page).getName(), "the published file belongs to the delegate");
        assertEquals(delegate, Files.getOwner(webDir(delegation)).getName(), "apply made the web directory the delegate's");
        String audit = Files.readString(caller.home().resolve("audit.log"));
        assertTrue(audit.contains(delegation) && audit.contains(revision), "the caller's audit log records the run: " + audit);
    }
}
