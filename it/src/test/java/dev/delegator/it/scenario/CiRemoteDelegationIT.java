package dev.delegator.it.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.CiDelegation;
import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3, CI delegation to another machine: the caller is the test process (a CI job), its
 * private key and known_hosts handed over in environment variables as CI secrets arrive
 * ({@code --identity-env}, {@code --known-hosts-env}, never argv). The delegate lives in a
 * container host, provisioned there by the real {@code delegator apply} (mounted JDK and CLI jar)
 * from a manifest naming the caller's public key and, in {@code from}, the address the container
 * sees for the caller (the Docker bridge gateway). A second container, with the same key, is
 * another source and is denied.
 */
@NeedsContainerHost
@DisplayName("CI delegation to a container host provisioned by apply inside it")
class CiRemoteDelegationIT {
    private static final String HOST_NAME = "web1.it.example";

    private static TestRoot root;
    private static ContainerHost web;
    private static ClientKey key;
    private static String delegate;
    private static String delegation;

    @BeforeAll
    static void provision() throws Exception {
        Prerequisites.requireCommand("ssh-keygen");
        web = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).start();
        root = TestRoot.create("it-ci");
        key = ClientKey.generate(root.path(), "id_ed25519");
        String r = Provisioner.random();
        delegation = "ci-deploy-" + r;
        delegate = "dlg-ci-" + r;
        web.writeFile("/usr/local/bin/ci-deploy", "#!/bin/sh\necho \"ci-deploy: release $1 as $(id -un) on $(hostname)\"\n", 0755);
        CommandResult applied = web.apply(HOST_NAME, CiDelegation.manifest(CiDelegation.named(delegation)
                .delegate(delegate).host(HOST_NAME, web).callerKey(key)
                .verb("deploy", "{run: /usr/local/bin/ci-deploy, args: ['v[0-9]+']}")));
        assertEquals(0, applied.exitCode(), applied::toString);
    }

    @AfterAll
    static void cleanUp() {
        if (web != null) {
            web.close();
        }
        if (root != null) {
            root.close();
        }
    }

    private static CommandResult ciRun(String... request) {
        return DelegatorCli.runAsCi(web, delegate, key.privateKey(), request);
    }

    @Test
    @DisplayName("the CI job, key and known_hosts from environment variables, runs the verb as the delegate in the container")
    void ciJobDeploys() throws Exception {
        CommandResult r = ciRun("deploy", "v42");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("ci-deploy: release v42 as " + delegate + " on "), r::toString);
    }

    @Test
    @DisplayName("the same job asking for anything else is rejected by the dispatcher in the container (126)")
    void ciJobOnlyTheVerb() throws Exception {
        CommandResult r = ciRun("deploy", "latest");
        assertEquals(126, r.exitCode(), r::toString);
        assertFalse(r.stdout().contains("ci-deploy:"), r::toString);
    }

    @Test
    @DisplayName("the line apply wrote pins the key to restrict, from=<bridge gateway> and the dispatcher")
    void lineAsWritten() {
        String line = web.execChecked("cat", "/etc/delegator/authorized_keys/" + delegate);
        assertTrue(line.contains("restrict,from=\"" + web.callerAddress() + "\",command=\"/usr/lib/delegator/dispatch " + delegation + "\""),
                line);
        assertTrue(line.contains(key.publicKey()), line);
    }

    @Test
    @DisplayName("the same key from another source (a second container) is denied by from=")
    void otherSourceDenied() {
        try (ContainerHost other = ContainerHost.builder().start()) {
            other.writeFile("/root/id_ed25519", readKey(), 0600);
            other.writeFile("/root/known_hosts", web.address() + " " + web.hostPublicKey() + "\n", 0644);
            CommandResult r = other.exec("ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=/root/known_hosts", "-o", "IdentitiesOnly=yes", "-i", "/root/id_ed25519",
                    "-l", delegate, web.address(), "deploy", "v1");
            assertEquals(255, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("Permission denied (publickey)"), r::toString);
            assertFalse(r.stdout().contains("ci-deploy:"), r::toString);
            assertTrue(web.logs().contains("with correct key but not from a permitted host (host=" + other.address()
                    + ", ip=" + other.address() + ", required=" + web.callerAddress() + ")"), web::logs);
        }
    }

    private static String readKey() {
        try {
            return Files.readString(key.privateKey());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
