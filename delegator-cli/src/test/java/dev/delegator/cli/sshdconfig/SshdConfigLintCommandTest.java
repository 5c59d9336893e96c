package dev.delegator.cli.sshdconfig;

import static dev.delegator.cli.CommandUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.CommandUnderTest.Run;
import dev.delegator.cli.ExitCodes;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code sshd-config lint} and plan on a real private sshd whose config lets environment reach delegates. */
class SshdConfigLintCommandTest {
    @Test
    void reportsPermitUserEnvironmentAndAcceptEnvAndPlanRefusesTheHost() throws Exception {
        try (TestRoot root = TestRoot.create("sshdlint"); TestUsers users = new TestUsers()) {
            Path dir = root.resolve("sshd");
            Files.createDirectories(dir.resolve("sshd_config.d"));
            Files.createDirectories(root.resolve("home"));
            TestUser u = users.create("dlgl", root.resolve("home"));
            try (PrivateSshd sshd = PrivateSshd.builder(dir).include(dir.resolve("sshd_config.d") + "/*.conf")
                    .configLine("AcceptEnv *").configLine("PermitUserEnvironment yes").start()) {
                String config = sshd.configFile().toString();
                Run lint = run("sshd-config", "lint", "--sshd-config", config, "--user", u.name());
                assertEquals(ExitCodes.PROBLEMS_FOUND, lint.status(), lint.toString());
                assertEquals(2, lint.out().lines().count(), lint.out());
                assertTrue(lint.out().startsWith(config + ": PermitUserEnvironment yes: sshd reads ~/.ssh/environment from each delegate's home"), lint.out());
                assertTrue(lint.out().contains(config + ": AcceptEnv LANG LC_* * for " + u.name()
                        + ": the client's environment requests matching it reach the forced command"), lint.out());

                Path m = root.resolve("m.yaml");
                Files.writeString(m, "version: 1\ndelegations:\n  tlint:\n"
                        + "    caller: {user: " + u.name() + "}\n"
                        + "    delegate: {user: dlgt-lintnever, home: " + root.resolve("home/dlgt-lintnever") + "}\n"
                        + "    hosts: ['localhost:" + sshd.port() + "']\n"
                        + "    verbs: {hello: {run: /bin/echo, args: ['[a-z]+']}}\n");
                Run plan = run("plan", "--manifest", m.toString(), "--root", root.path().toString(), "--sshd-config", config, "--host-name", "clihost");
                assertEquals(ExitCodes.REFUSED, plan.status(), plan.toString());
                assertTrue(plan.out().contains(config + ": PermitUserEnvironment yes: "), plan.out());
                Run apply = run("apply", "--manifest", m.toString(), "--root", root.path().toString(), "--sshd-config", config, "--host-name", "clihost");
                assertEquals(ExitCodes.REFUSED, apply.status(), apply.toString());
                assertEquals(1, apply.err().lines().count(), apply.err());
                assertTrue(apply.err().startsWith("delegator: nothing applied: " + config + ": PermitUserEnvironment yes: "), apply.err());
            }
            Files.writeString(dir.resolve("sshd_config.d/50-delegator.conf"), "Match User " + u.name() + "\n    AcceptEnv " + DropIn.NO_CLIENT_ENVIRONMENT + "\n");
            try (PrivateSshd sshd = PrivateSshd.builder(dir).include(dir.resolve("sshd_config.d") + "/*.conf").configLine("AcceptEnv *").start()) {
                Run clean = run("sshd-config", "lint", "--sshd-config", sshd.configFile().toString(), "--user", u.name());
                assertEquals(ExitCodes.OK, clean.status(), clean.toString());
                assertEquals("", clean.out());
            }
        }
    }
}
