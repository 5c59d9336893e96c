package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * README's "Host certificates" across three container hosts: the host CA on the test machine signs
 * each host's own key ({@code ca sign-host}), one manifest with {@code hostCertificates} and no
 * {@code hostKey} is applied inside every host (its sshd then serves the certificate), and the
 * caller (the test process, real CLI jar) fans out trusting only {@code @cert-authority}: the two
 * hosts whose certificates name the address it connects to run, the third, whose certificate names
 * another host, is refused with its reason, and the summary and exit follow the fan-out rule.
 */
@NeedsContainerHost
@DisplayName("host certificates: three container hosts, one manifest, callers trust only the host CA")
class HostCertificatesIT {
    private static final String CERT = "/etc/ssh/ssh_host_ed25519_key-cert.pub";
    private static TestRoot root;
    private static List<ContainerHost> hosts = List.of();
    private static ClientKey key;

    @BeforeAll
    static void startHosts() {
        Prerequisites.requireCommand("ssh-keygen");
        hosts = ContainerHost.builder().withJava().withCliJar(DelegatorCli.jar()).startMany(3);
        root = TestRoot.create("it-hostcerts");
        key = ClientKey.generate(root.path(), "id_ed25519");
    }

    @AfterAll
    static void cleanUp() {
        hosts.forEach(ContainerHost::close);
        if (root != null) {
            root.close();
        }
    }

    @Test
    @DisplayName("sign-host, apply serve everywhere, run with only @cert-authority: two run, the misnamed one is refused")
    void hostCertificates() throws Exception {
        Path hostCa = root.resolve("host-ca");
        String caKey = DelegatorCli.check("ca", "init", "--host", "--dir", hostCa.toString()).stdout().trim();
        for (int i = 0; i < hosts.size(); i++) {
            ContainerHost h = hosts.get(i);
            Path pub = root.resolve("host" + i + ".pub");
            Files.writeString(pub, h.hostPublicKey() + "\n");
            // the caller reaches each host as 127.0.0.1 (the mapped port); the third certificate names only another host
            List<String> sign = new ArrayList<>(List.of("ca", "sign-host", "--dir", hostCa.toString(), pub.toString(), hostName(i)));
            if (i < 2) {
                sign.add("127.0.0.1");
            }
            DelegatorCli.check(sign.toArray(String[]::new));
            h.copyFile(root.resolve("host" + i + "-cert.pub"), CERT, 0644);
            h.writeFile("/usr/local/bin/hc-hello", "#!/bin/sh\necho \"hello from $(hostname) as $(id -un)\"\n", 0755);
        }
        String r = Provisioner.random();
        String delegation = "hc-" + r;
        String delegate = "dlg-hc-" + r;
        StringBuilder m = new StringBuilder("version: 1\n"
                + "hostCertificates:\n"
                + "  authorities: [{hosts: '*.it.example,[127.0.0.1]:*', key: '" + caKey + "'}]\n"
                + "  serve: [" + CERT + "]\n"
                + "delegations:\n  " + delegation + ":\n"
                + "    caller: {user: ci, host: build1.it.example}\n"
                + "    delegate: {user: " + delegate + ", home: /var/lib/" + delegate + ", uid: " + CaRotationIT.uidFreeOnThisMachine() + "}\n"
                + "    hosts:\n");
        for (int i = 0; i < hosts.size(); i++) {
            m.append("      - '").append(hostName(i)).append("'\n"); // no hostKey: the host CA vouches for them
        }
        m.append("    from: ['").append(hosts.get(0).callerAddress()).append("']\n"
                + "    callerPublicKey: '").append(key.publicKey()).append("'\n"
                + "    verbs:\n"
                + "      hello: {run: /usr/local/bin/hc-hello}\n");
        String manifest = m.toString();
        List<CompletableFuture<CommandResult>> applies = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            ContainerHost h = hosts.get(i);
            String name = hostName(i);
            applies.add(CompletableFuture.supplyAsync(() -> h.apply(name, manifest)));
        }
        for (int i = 0; i < hosts.size(); i++) {
            CommandResult applied = applies.get(i).join();
            String name = hostName(i);
            assertEquals(0, applied.exitCode(), () -> name + ": " + applied);
            String dropIn = hosts.get(i).execChecked("cat", "/etc/ssh/sshd_config.d/50-delegator.conf");
            assertTrue(dropIn.indexOf("HostCertificate " + CERT) < dropIn.indexOf("Match Group delegator"), () -> name + ": " + dropIn);
            String effective = hosts.get(i).execChecked("sshd", "-T");
            assertTrue(effective.contains("hostcertificate " + CERT), () -> name + ": " + effective);
        }

        Path knownHosts = Files.writeString(root.resolve("known_hosts"), "@cert-authority *.it.example,[127.0.0.1]:* " + caKey + "\n");
        List<String> args = new ArrayList<>(List.of("run"));
        for (ContainerHost h : hosts) {
            args.addAll(List.of("--host", label(h)));
        }
        args.addAll(List.of("--user", delegate, "--identity", key.privateKey().toString(), "--known-hosts", knownHosts.toString(),
                "--no-audit", "--timeout", "1m", "--", "hello"));
        CommandResult run = DelegatorCli.run(args, Map.of());
        assertEquals(255, run.exitCode(), run::toString);
        for (int i = 0; i < 2; i++) {
            ContainerHost h = hosts.get(i);
            assertTrue(Pattern.compile("(?m)^.*" + Pattern.quote(label(h)) + ".*hello from \\S+ as " + Pattern.quote(delegate) + "$")
                    .matcher(run.stdout()).find(), run::toString);
        }
        ContainerHost third = hosts.get(2);
        assertTrue(run.stderr().contains("host certificate for " + label(third) + " names principals [" + hostName(2) + "] not 127.0.0.1; "
                + "refusing to connect"), run::toString);
        assertFalse(run.stdout().contains(label(third)), run::toString);
        assertTrue(run.stderr().contains("2 of 3 hosts succeeded; exit 255"), run::toString);
    }

    private static String label(ContainerHost h) {
        return "127.0.0.1:" + h.sshPort();
    }

    private static String hostName(int i) {
        return "hc" + (i + 1) + ".it.example";
    }
}
