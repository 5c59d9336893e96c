package dev.delegator.it.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.local.RunAs;
import dev.delegator.it.ssh.Ssh;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5, exmachina's case: an unprivileged account (a web UI's) asks a more privileged
 * delegate to run one fixed verb, {@code restart blog}, and nothing else. The delegate's extra
 * privilege here is a state directory only it can write (a manifest resource, 0700); the verb's
 * script records the restart there. Provisioned by the real apply, run with the real
 * {@code delegator run} as the unprivileged account.
 */
@DisplayName("upward delegation: an unprivileged account runs 'restart blog' on a more privileged delegate, and nothing else")
class UpwardDelegationIT {
    private static Provisioner host;
    private static TestUser web;
    private static String delegation;
    private static String delegate;
    private static Path state;

    @BeforeAll
    static void provision() throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("runuser", "sshd", "ssh");
        DelegatorCli.jar();
        host = Provisioner.start("upward");
        Path homes = host.dir("home");
        web = host.host().users().create("webui", homes);
        String r = Provisioner.random();
        delegation = "restart-blog-" + r;
        delegate = host.delegate("dlg-ops-" + r);
        state = host.dir("srv").resolve("services");
        Path restart = host.dir("sbin").resolve("restart-service");
        Files.writeString(restart, "#!/bin/sh\n"
                + "# stands in for a privileged restart: only the delegate may write the services' state\n"
                + "echo \"restart-service: restarting $1 as $(id -un)\"\n"
                + "echo \"$1\" >> '" + state + "/restarts'\n");
        Files.setPosixFilePermissions(restart, PosixFilePermissions.fromString("rwxr-xr-x"));
        host.apply("version: 1\n"
                + "delegations:\n"
                + "  " + delegation + ":\n"
                + "    caller: {user: " + web.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + homes.resolve(delegate) + "}\n"
                + "    hosts: ['localhost:" + host.host().sshd().port() + "']\n"
                + "    verbs:\n"
                + "      restart: {run: " + restart + ", args: ['blog']}\n"
                + "    resources:\n"
                + "      - {path: " + state + ", mode: '0700', owner: delegate, kind: dir}\n");
    }

    @AfterAll
    static void cleanUp() {
        if (host != null) {
            host.close();
        }
    }

    private static CommandResult runAsWeb(String... request) {
        List<String> argv = new ArrayList<>(DelegatorCli.argv(List.of("run", "--manifest", host.layout().manifest().toString(),
                "--root", host.root().toString(), "--no-audit", delegation)));
        argv.addAll(List.of(request));
        return RunAs.run(web, Map.of(), argv);
    }

    @Test
    @DisplayName("'restart blog' runs as the delegate and does what the unprivileged account itself may not")
    void restartBlogRuns() throws IOException {
        CommandResult direct = RunAs.run(web, "sh", "-c", "echo blog >> '" + state + "/restarts'");
        assertNotEquals(0, direct.exitCode(), "the web account cannot write the services' state itself");

        CommandResult r = runAsWeb("restart", "blog");

        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("restart-service: restarting blog as " + delegate), r::toString);
        assertTrue(Files.readString(state.resolve("restarts")).contains("blog\n"));
        assertEquals(delegate, Files.getOwner(state.resolve("restarts")).getName());
    }

    @Test
    @DisplayName("another service name, another verb, an extra argument: rejected by the dispatcher with 126, nothing runs")
    void nothingElse() throws IOException {
        long before = restarts();
        for (String[] request : List.of(new String[] {"restart", "db"}, new String[] {"stop", "blog"},
                new String[] {"restart", "blog", "now"}, new String[] {"restart"}, new String[] {"restart", "blog2"})) {
            CommandResult r = runAsWeb(request);
            assertEquals(126, r.exitCode(), () -> String.join(" ", request) + ": " + r);
            assertTrue(r.stderr().contains("request rejected"), r::toString);
        }
        assertEquals(before, restarts(), "no rejected request ran the script");
    }

    @Test
    @DisplayName("OpenSSH with the caller's key: a shell command is rejected (126), a shell request gets no shell")
    void keyDoesNothingElse() {
        Path key = host.layout().callerKey(web.name(), delegation);
        Path knownHosts = host.layout().callerKnownHosts(web.name(), delegation);
        // ssh refuses a key others can read; the key is the web account's, so run ssh as that account
        Ssh ssh = Ssh.to("localhost", host.host().sshd().port(), delegate, key, knownHosts);
        CommandResult id = RunAs.run(web, Map.of(), ssh.argv("id"));
        assertEquals(126, id.exitCode(), id::toString);
        assertFalse(id.stdout().contains("uid="), id::toString);
        CommandResult shell = RunAs.run(web, Map.of(), ssh.argv(null));
        assertNotEquals(0, shell.exitCode(), shell::toString);
        assertFalse(shell.stdout().contains("uid="), shell::toString);
    }

    private static long restarts() throws IOException {
        Path f = state.resolve("restarts");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }
}
