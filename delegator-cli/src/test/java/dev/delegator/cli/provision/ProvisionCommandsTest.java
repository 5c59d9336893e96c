package dev.delegator.cli.provision;

import static dev.delegator.cli.CommandUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.CommandUnderTest.Run;
import dev.delegator.cli.ExitCodes;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** plan / apply / list / revoke through the real command line: output, exit codes. */
class ProvisionCommandsTest {
    @Test
    void aBadManifestExitsThreeNamingEveryProblemWithItsPosition() throws Exception {
        try (TestRoot root = TestRoot.create("provcli")) {
            Path m = root.resolve("m.yaml");
            Files.writeString(m, "version: 1\ndelegations:\n  blog:\n    caller: {user: Hg}\n    colour: blue\n");
            Run r = run("plan", "--manifest", m.toString(), "--root", root.path().toString());
            assertEquals(ExitCodes.INVALID_INPUT, r.status(), r.toString());
            assertTrue(r.err().contains(m + ":4:20: delegations.blog.caller.user: 'Hg' is not a valid Linux user name"), r.err());
            assertTrue(r.err().contains(m + ":5:5: delegations.blog.colour: unknown key 'colour'"), r.err());
            assertTrue(r.err().contains("problems in " + m + "; nothing was planned or applied"), r.err());
        }
    }

    @Test
    void aBadCallerPublicKeyIsReportedAtLoadWithItsPosition() throws Exception {
        // 'AAAA' matched the loader's old key regex and failed only later, in plan, with no position
        try (TestRoot root = TestRoot.create("provcli")) {
            Path m = root.resolve("m.yaml");
            Files.writeString(m, """
                    version: 1
                    delegations:
                      web:
                        caller: {user: ci, host: build1}
                        delegate: {user: dlg-web, home: /var/lib/dlg-web}
                        hosts: [localhost]
                        from: ['192.0.2.10']
                        verbs:
                          restart: {run: /usr/local/sbin/restart-blog}
                        callerPublicKey: 'ssh-ed25519 AAAA'
                    """);
            Run r = run("plan", "--manifest", m.toString(), "--root", root.path().toString());
            assertEquals(ExitCodes.INVALID_INPUT, r.status(), r.toString());
            assertEquals(3, r.status());
            assertEquals("delegator: " + m + ":10:22: delegations.web.callerPublicKey: public key is not a key line: column 13:"
                    + " key data ends inside the key type: sshd skips this line;"
                    + " paste the 'ssh-ed25519 AAAA... comment' line 'delegator apply' printed on the caller host\n", r.err());
        }
    }

    @Test
    void aDangerousCapabilityAndCapabilitiesWithNetworkNoneExitThreeWithTheirPositions() throws Exception {
        try (TestRoot root = TestRoot.create("provcli")) {
            Path m = root.resolve("m.yaml");
            Files.writeString(m, """
                    version: 1
                    delegations:
                      backup:
                        caller: {user: ci}
                        delegate: {user: dlg-backup, home: /var/lib/dlg-backup}
                        hosts: [localhost]
                        verbs:
                          backup: {run: /usr/local/sbin/backup, capabilities: [dac_read_search, sys_ptrace]}
                          offline: {run: /usr/local/sbin/backup, capabilities: [dac_read_search]}
                        sandbox: {network: none}
                    """);
            Run r = run("plan", "--manifest", m.toString(), "--root", root.path().toString());
            assertEquals(3, r.status(), r.toString());
            assertTrue(r.err().contains(m + ":8:77: delegations.backup.verbs.backup.capabilities[1]: 'sys_ptrace' is refused:"
                    + " ptrace of any process, root's included: run code as root\n"), r.err());
            assertTrue(r.err().contains(m + ":9:60: delegations.backup.verbs.offline.capabilities: capabilities cannot combine with"
                    + " 'sandbox: {network: none}'"), r.err());
        }
    }

    @Test
    void planDetailedExitcodeApplyListRevoke() throws Exception {
        Prerequisites.requireRoot();
        String suffix = Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 6);
        String delegate = "dlgt-" + suffix;
        boolean hadGroup = Files.readString(Path.of("/etc/group")).lines().anyMatch(l -> l.startsWith("delegator:"));
        try (TestRoot root = TestRoot.create("provcli"); TestUsers users = new TestUsers()) {
            Files.createDirectories(root.resolve("sshd"));
            Files.createDirectories(root.resolve("home"));
            try (PrivateSshd sshd = PrivateSshd.builder(root.resolve("sshd")).include(root.resolve("sshd/sshd_config.d") + "/*.conf").start()) {
                TestUser caller = users.create("dlgtc", root.resolve("home"));
                users.adopt(delegate);
                Path m = root.resolve("m.yaml");
                Files.writeString(m, "version: 1\ndelegations:\n  t" + suffix + ":\n"
                        + "    caller: {user: " + caller.name() + "}\n"
                        + "    delegate: {user: " + delegate + ", home: " + root.resolve("home/" + delegate) + "}\n"
                        + "    hosts: ['localhost:" + sshd.port() + "']\n"
                        + "    verbs: {hello: {run: /bin/echo, args: ['[a-z]+']}}\n");
                List<String> common = List.of("--manifest", m.toString(), "--root", root.path().toString(),
                        "--sshd-config", sshd.configFile().toString(), "--host-name", "clihost");
                Run plan = run(args("plan", common, "--detailed-exitcode"));
                assertEquals(ExitCodes.CHANGES_PENDING, plan.status(), plan.toString());
                assertTrue(plan.out().contains("+ user " + delegate), plan.out());
                Run json = run(args("plan", common, "--json"));
                assertEquals(ExitCodes.OK, json.status(), json.toString());
                assertTrue(json.out().startsWith("{\"changes\":[{\"category\":\"users-and-groups\",\"action\":\"create\""), json.out());
                Run list = run(args("list", common));
                assertEquals(ExitCodes.PROBLEMS_FOUND, list.status(), list.toString());
                assertTrue(list.out().contains("missing"), list.out());

                Run apply = run(args("apply", common, "--no-reload"));
                assertEquals(ExitCodes.OK, apply.status(), apply.toString());
                assertTrue(apply.out().contains("[1/"), apply.out());
                Run again = run(args("apply", common, "--no-reload"));
                assertTrue(again.out().contains("no changes"), again.out());
                assertEquals(ExitCodes.OK, run(args("plan", common, "--detailed-exitcode")).status());
                Run listed = run(args("list", common, "--json"));
                assertEquals(ExitCodes.OK, listed.status(), listed.toString());
                assertTrue(listed.out().contains("\"state\":\"ok\""), listed.out());

                Path ak = root.resolve("etc/delegator/authorized_keys/" + delegate);
                byte[] applied = Files.readAllBytes(ak);
                Run dryRun = run(args("revoke", common, "t" + suffix, "--remove-user", "--dry-run"));
                assertEquals(ExitCodes.OK, dryRun.status(), dryRun.toString());
                assertTrue(dryRun.out().startsWith("users and groups:\n  - user " + delegate + " (revoked with --remove-user)\n"), dryRun.out());
                assertTrue(dryRun.out().contains("authorized_keys lines:\n  - line for t" + suffix + " in " + ak + " (revoked)\n"), dryRun.out());
                assertTrue(dryRun.out().endsWith("plan: 0 to create, 2 to update, 4 to remove\nnote: t" + suffix + " is still in " + m
                        + ": remove it there, or the next apply restores it\n"), dryRun.out());
                assertTrue(java.util.Arrays.equals(applied, Files.readAllBytes(ak)), "--dry-run changed the authorized_keys file");
                assertEquals(ExitCodes.OK, run(args("plan", common, "--detailed-exitcode")).status(), "--dry-run changed nothing");

                // a manifest naming an account delegator did not create (the caller's) as the delegate: --remove-user refuses it all
                Path foreign = root.resolve("foreign.yaml");
                Files.writeString(foreign, Files.readString(m).replace("user: " + delegate + ",", "user: " + caller.name() + ","));
                List<String> foreignCommon = new ArrayList<>(common);
                foreignCommon.set(1, foreign.toString());
                String refusal = "--remove-user: account " + caller.name() + " (uid ";
                Run refusedPlan = run(args("revoke", foreignCommon, "t" + suffix, "--remove-user", "--dry-run"));
                assertEquals(ExitCodes.REFUSED, refusedPlan.status(), refusedPlan.toString());
                assertTrue(refusedPlan.out().contains("\nrefused: " + refusal), refusedPlan.out());
                Run refused = run(args("revoke", foreignCommon, "t" + suffix, "--remove-user"));
                assertEquals(ExitCodes.REFUSED, refused.status(), refused.toString());
                assertTrue(refused.err().startsWith("delegator: nothing applied: " + refusal), refused.err());
                assertTrue(java.util.Arrays.equals(applied, Files.readAllBytes(ak)), "a refused revoke changed the authorized_keys file");

                Run revoke = run(args("revoke", common, "t" + suffix, "--remove-user"));
                assertEquals(ExitCodes.OK, revoke.status(), revoke.toString());
                assertTrue(revoke.out().startsWith("- line for t" + suffix + " in " + ak + " (revoked)\n"), revoke.out());
                assertTrue(revoke.out().contains("- user " + delegate), revoke.out());
                assertTrue(revoke.out().contains("still in " + m), revoke.out());
                Run nothing = run(args("revoke", common, "t" + suffix, "--dry-run"));
                assertEquals(ExitCodes.OK, nothing.status(), nothing.toString());
                assertTrue(nothing.out().startsWith("nothing of delegation t" + suffix + " found on this host\n"), nothing.out());
            }
        } finally {
            // only a group this test made, and only while nobody (another suite's delegate) is in it
            boolean empty = Files.readString(Path.of("/etc/group")).lines().anyMatch(l -> l.startsWith("delegator:") && l.endsWith(":"));
            if (!hadGroup && empty) {
                new ProcessBuilder("groupdel", "delegator").start().waitFor();
            }
        }
    }

    private static String[] args(String command, List<String> common, String... more) {
        List<String> a = new ArrayList<>();
        a.add(command);
        a.addAll(common);
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }
}
