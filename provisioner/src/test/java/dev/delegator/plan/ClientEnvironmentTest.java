package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.accounts.Accounts;
import dev.delegator.manifest.Manifest;
import dev.delegator.sshdconfig.ClientEnvironment;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * No environment reaches a delegate's forced command from the client or from the delegate's own
 * home, tried with a real private sshd and a real preload library: the library, built here with cc,
 * writes {@code ran-as-<uid>} from its constructor in every process it is loaded into.
 */
class ClientEnvironmentTest {
    ProvisionFixture fx;

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void withAcceptEnvStarOnTheHostAClientsLdPreloadReachesNothingOfTheDelegate() throws Exception {
        Prerequisites.requireCommand("cc");
        fx = new ProvisionFixture(List.of("AcceptEnv *"));
        String name = ProvisionFixture.randomName("t");
        String delegate = fx.delegate();
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        Applier.apply(m, fx.target(), new Applier.Options(true, java.time.Duration.ofMinutes(1), Progress.NONE));
        awaitListening(2);
        int uid = new Accounts().user(delegate).orElseThrow().uid();
        Path markers = fx.root.resolve("markers");
        Files.createDirectories(markers);
        Files.setPosixFilePermissions(markers, FileStatus.perms(01777));
        // the deploy code could leave exactly this in the delegate's home
        Path lib = new Accounts().user(delegate).orElseThrow().home().resolve("evil.so");
        PreloadLibrary.build(fx.root.resolve("evil.c"), lib, markers);
        Path delegateMarker = markers.resolve("ran-as-" + uid);
        OpenSshClient client = new OpenSshClient(fx.sshd.port(), delegate, fx.layout().callerKey(fx.caller.name(), name),
                fx.layout().callerKnownHosts(fx.caller.name(), name));

        Map<String, List<String>> forDelegate = fx.target().sshd().effectiveFor(delegate, "localhost", "127.0.0.1");
        assertEquals(List.of(DropIn.NO_CLIENT_ENVIRONMENT), forDelegate.get("acceptenv"), forDelegate::toString);
        assertTrue(fx.target().sshd().effective().get("acceptenv").contains("*"), "the host itself accepts every variable");

        CommandResult sent = ssh(client, List.of("-o", "SendEnv=LD_PRELOAD"), Map.of("LD_PRELOAD", lib.toString()), "hello world");
        assertEquals(0, sent.exitCode(), sent::toString);
        assertEquals("hello world from " + delegate + "\n", sent.stdout());
        assertTrue(Files.exists(markers.resolve("ran-as-0")), "the library works: the local ssh client (root) loaded it");
        CommandResult set = ssh(client, List.of("-o", "SetEnv=LD_PRELOAD=" + lib), Map.of(), "hello world");
        assertEquals(0, set.exitCode(), set::toString);
        assertFalse(Files.exists(delegateMarker), "LD_PRELOAD from the client reached the delegate's processes");

        // the same request without the drop-in's AcceptEnv: the global AcceptEnv * lets it in (this test can fail)
        Path dropIn = fx.target().sshdPaths().dropIn();
        String without = Files.readString(dropIn).lines().filter(l -> !l.strip().startsWith("AcceptEnv"))
                .reduce("", (a, l) -> a + l + "\n");
        Files.writeString(dropIn, without);
        fx.sshd.reload();
        awaitListening(3);
        assertTrue(DropInStep.effectProblem(fx.target().sshd(), fx.layout(), List.of(delegate)).orElseThrow()
                .contains("shows acceptenv LANG,LC_*,*, want " + DropIn.NO_CLIENT_ENVIRONMENT), "apply's effect check sees the missing AcceptEnv");
        CommandResult leaked = ssh(client, List.of("-o", "SetEnv=LD_PRELOAD=" + lib), Map.of(), "hello world");
        assertEquals(0, leaked.exitCode(), leaked::toString);
        assertTrue(Files.exists(delegateMarker), "without the drop-in's AcceptEnv the client's LD_PRELOAD runs as the delegate");
    }

    @Test
    void permitUserEnvironmentYesIsRefusedByPlanAndApplyNamingTheSetting() throws Exception {
        fx = new ProvisionFixture(List.of("PermitUserEnvironment yes"));
        String name = ProvisionFixture.randomName("t");
        String delegate = fx.delegate();
        Manifest m = fx.manifest(fx.delegation(name, delegate));
        Plan plan = Planner.plan(m, fx.target());
        List<Blocker> refused = plan.blockers().stream().filter(b -> b.message().contains("PermitUserEnvironment")).toList();
        assertEquals(1, refused.size(), plan.blockers()::toString);
        assertEquals(Blocker.Kind.REFUSED, refused.get(0).kind());
        assertTrue(refused.get(0).message().startsWith(fx.sshd.configFile() + ": PermitUserEnvironment yes: sshd reads ~/.ssh/environment"),
                refused.get(0).message());
        PlanRefusedException e = assertThrows(PlanRefusedException.class,
                () -> Applier.apply(m, fx.target(), new Applier.Options(false, java.time.Duration.ofMinutes(1), Progress.NONE)));
        assertEquals(Blocker.Kind.REFUSED, e.kind());
        assertTrue(e.getMessage().contains("PermitUserEnvironment yes"), e.getMessage());
        assertTrue(new Accounts().user(delegate).isEmpty(), "nothing was applied");
    }

    @Test
    void aPatternListOfPermitUserEnvironmentIsRefusedToo() throws Exception {
        fx = new ProvisionFixture(List.of("PermitUserEnvironment LANG,TZ"));
        String name = ProvisionFixture.randomName("t");
        Plan plan = Planner.plan(fx.manifest(fx.delegation(name, fx.delegate())), fx.target());
        assertTrue(plan.blockers().stream().anyMatch(b -> b.message().contains(": PermitUserEnvironment LANG,TZ: ")), plan.blockers()::toString);
        assertEquals(1, ClientEnvironment.problems(fx.target().sshd(), List.of()).size());
    }

    private static CommandResult ssh(OpenSshClient c, List<String> extra, Map<String, String> env, String command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(c.command(extra, command));
        pb.environment().putAll(env);
        Process p = pb.start();
        // stdin stays open until ssh exits: the dispatcher cancels the work when its stdin reaches EOF
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        p.getOutputStream().close();
        return new CommandResult(p.exitValue(), out, err.get());
    }

    /** After a SIGHUP sshd re-execs: wait until its log says it listens for the {@code n}th time. */
    private void awaitListening(int n) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (fx.sshd.logText().split("Server listening on 127.0.0.1", -1).length - 1 >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sshd did not listen again after the reload:\n" + fx.sshd.logText());
    }
}
