package dev.delegator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.PrivateSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole chain as a user runs it: {@code ca init --host}, {@code ca sign-host}, two real sshds
 * serving the certificates, and {@code delegator run NAME} fanning out to both with no pin, only the
 * manifest's host CA: the host with a good certificate runs, the one whose certificate has expired
 * is refused with its one line, and the run exits 255.
 */
class RunHostCertificateTest {
    @Test
    void aDelegationUnderAHostCaRunsWithoutPinsAndRefusesTheBadCertificate() throws Exception {
        try (Delegates d = Delegates.start("hostcert", 0)) {
            Path hostCa = d.root.resolve("host-ca");
            CommandResult init = d.delegator(Map.of(), null, "ca", "init", "--host", "--dir", hostCa.toString());
            assertEquals(0, init.exitCode(), init.toString());
            String caKey = init.stdout().strip();
            List<PrivateSshd> servers = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Path dir = d.root.resolve("hc-sshd" + i);
                    Files.createDirectories(dir);
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                    Path key = dir.resolve("ssh_host_ed25519_key");
                    ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString());
                    Path cert = dir.resolve("ssh_host_ed25519_key-cert.pub");
                    if (i == 0) {
                        CommandResult sign = d.delegator(Map.of(), null, "ca", "sign-host", "--dir", hostCa.toString(), key + ".pub", "127.0.0.1");
                        assertEquals(0, sign.exitCode(), sign.toString());
                    } else {
                        // ca sign-host never back-dates a whole window; ssh-keygen with the host CA's key does
                        ExternalCommand.check("ssh-keygen", "-q", "-h", "-s", hostCa.resolve("ca_ed25519").toString(), "-I", "old", "-n",
                                "127.0.0.1", "-V", "20260101000000Z:20260102000000Z", key + ".pub");
                    }
                    servers.add(PrivateSshd.builder(dir).authorizedKeysFile(d.root.resolve("keys") + "/%u")
                            .configLine("HostCertificate " + cert).start());
                }
                Path manifest = d.manifest();
                Files.writeString(manifest, """
                        version: 1
                        hostCertificates:
                          authorities: [{hosts: '[127.0.0.1]:*', key: '%s'}]
                        delegations:
                          hostcert:
                            caller: {user: root}
                            delegate: {user: %s, home: %s}
                            hosts: ['127.0.0.1:%d', '127.0.0.1:%d']
                            from: ["127.0.0.1"]
                            verbs:
                              deploy: {run: /usr/lib/delegator/deploy/hg-deploy, args: ["[0-9a-f]{40}"]}
                        """.formatted(caKey, d.user.name(), d.user.home(), servers.get(0).port(), servers.get(1).port()));
                // what apply writes on the caller for this manifest: the authority, no pin
                Files.writeString(d.knownHosts, "@cert-authority [127.0.0.1]:* " + caKey + "\n");
                List<String> a = new ArrayList<>(List.of("run"));
                a.addAll(d.layoutOptions());
                a.addAll(List.of("hostcert", "deploy", RunCommandTest.NODE));
                CommandResult r = d.delegator(Map.of(), null, a.toArray(String[]::new));
                assertEquals(255, r.exitCode(), r.toString());
                assertTrue(r.stdout().contains("deployed " + RunCommandTest.NODE + " as " + d.user.name()), r.toString());
                assertTrue(r.stderr().contains("host certificate for 127.0.0.1:" + servers.get(1).port() + " (key id \"old\") expired at "
                        + "2026-01-02T00:00:00Z; refusing to connect"), r.toString());
            } finally {
                servers.forEach(PrivateSshd::close);
            }
        }
    }
}
