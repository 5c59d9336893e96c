package dev.delegator.client;

import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.PrivateSshd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code @cert-authority} trust against the real sshd serving a {@code HostCertificate}: the caller
 * needs no pin for a host whose certificate a trusted host CA signed, and every way a certificate
 * can be wrong is refused with exit 255 and its reason, never as "unknown host". Each case starts
 * its own sshd on the same host key with the certificate under test.
 */
class HostCertificateTrustTest {
    static SshFixture fx;
    static DelegationRunner runner;
    static Path dir;
    static Path hostKey;
    static Path ca;
    static Path otherCa;
    static int runs;

    @BeforeAll
    static void start() throws IOException {
        fx = SshFixture.start("hostcert");
        runner = new DelegationRunner(RunOptions.defaults());
        dir = fx.root.resolve("hostcert");
        Files.createDirectory(dir);
        hostKey = dir.resolve("ssh_host_ed25519_key");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host", "-f", hostKey.toString());
        ca = fx.root.resolve("caller/host_ca");
        otherCa = fx.root.resolve("caller/other_ca");
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host-ca", "-f", ca.toString());
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other-ca", "-f", otherCa.toString());
    }

    @AfterAll
    static void stop() {
        if (runner != null) {
            runner.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    /** Signs the host key into {@code name-cert.pub}; extra ssh-keygen arguments say what is wrong with it. */
    static Path sign(String name, Path caKey, String... args) throws IOException {
        Path pub = dir.resolve(name + ".pub");
        Files.copy(Path.of(hostKey + ".pub"), pub);
        List<String> argv = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", caKey.toString(), "-I", "host-" + name, "-z", "1"));
        argv.addAll(List.of(args));
        argv.add(pub.toString());
        ExternalCommand.check(argv.toArray(String[]::new));
        return dir.resolve(name + "-cert.pub");
    }

    static String pub(Path key) throws IOException {
        String[] f = Files.readString(Path.of(key + ".pub")).trim().split("\\s+");
        return f[0] + " " + f[1];
    }

    static String fingerprint(Path key) {
        return ExternalCommand.check("ssh-keygen", "-l", "-f", key + ".pub").split(" ")[1];
    }

    /** Runs {@code echo ok} against an sshd serving {@code cert} (none: its plain key only), trusting what {@code knownHosts} says. */
    static RunResult runAgainst(Path cert, String knownHosts) throws IOException {
        PrivateSshd.Builder b = PrivateSshd.builder(dir).authorizedKeysFile(fx.root.resolve("keys") + "/%u");
        if (cert != null) {
            b.configLine("HostCertificate " + cert);
        }
        try (PrivateSshd sshd = b.start()) {
            // a file per run: the runner reads each known_hosts once
            Path kh = Files.writeString(fx.root.resolve("caller/known_hosts-" + (++runs)), knownHosts.replace("PORT", Integer.toString(sshd.port())));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            RunResult r = runner.run(new DelegationTarget("test", "127.0.0.1", sshd.port(), fx.user.name(),
                    Material.file(fx.key), Material.file(kh)), RunRequest.of("echo", "ok"), InputStream.nullInputStream(), out,
                    new ByteArrayOutputStream());
            if (r.exitStatus() == 0) {
                assertEquals("ok\n", out.toString(StandardCharsets.UTF_8));
            }
            return r;
        }
    }

    static String trustCa() throws IOException {
        return "@cert-authority 127.0.0.1,[127.0.0.1]:* " + pub(ca) + "\n";
    }

    static String refusal(RunResult r) {
        assertEquals(RunResult.Outcome.CONNECTION_FAILED, r.outcome(), r.toString());
        assertEquals(255, r.exitStatus(), r.toString());
        return r.message().orElseThrow();
    }

    @Test
    void aGoodHostCertificateNeedsNoPin() throws IOException {
        Path cert = sign("good", ca, "-h", "-n", "127.0.0.1,web1.example.org", "-V", "-5m:+1h");
        RunResult r = runAgainst(cert, trustCa());
        assertEquals(0, r.exitStatus(), r.toString());
    }

    @Test
    void aWildcardPrincipalMatchesAsOpenSshDoes() throws IOException {
        Path cert = sign("wild", ca, "-h", "-n", "127.0.0.*", "-V", "-5m:+1h");
        assertEquals(0, runAgainst(cert, "@cert-authority * " + pub(ca) + "\n").exitStatus());
    }

    @Test
    void anExpiredCertificateIsRefused() throws IOException {
        Path cert = sign("expired", ca, "-h", "-n", "127.0.0.1", "-V", "20200101000000Z:20200102000000Z");
        assertEquals("host certificate for 127.0.0.1:PORT (key id \"host-expired\") expired at 2020-01-02T00:00:00Z; refusing to connect",
                refusal(runAgainst(cert, trustCa())).replaceAll(":[0-9]+ ", ":PORT "));
    }

    @Test
    void aNotYetValidCertificateIsRefused() throws IOException {
        Path cert = sign("future", ca, "-h", "-n", "127.0.0.1", "-V", "20990101000000Z:20990102000000Z");
        assertEquals("host certificate for 127.0.0.1:PORT (key id \"host-future\") is not valid before 2099-01-01T00:00:00Z; "
                + "refusing to connect", refusal(runAgainst(cert, trustCa())).replaceAll(":[0-9]+ ", ":PORT "));
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws IOException {
        Path cert = sign("other", ca, "-h", "-n", "other.example", "-V", "-5m:+1h");
        assertEquals("host certificate for 127.0.0.1:PORT names principals [other.example] not 127.0.0.1; refusing to connect",
                refusal(runAgainst(cert, trustCa())).replaceAll(":[0-9]+ ", ":PORT "));
    }

    @Test
    void aUserCertificateNeverAuthenticatesAHost() throws IOException {
        Path cert = sign("user", ca, "-n", "127.0.0.1", "-V", "-5m:+1h");
        String m = refusal(runAgainst(cert, trustCa()));
        assertTrue(m.contains("is a user certificate, not a host certificate"), m);
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() throws IOException {
        Path cert = sign("foreign", otherCa, "-h", "-n", "127.0.0.1", "-V", "-5m:+1h");
        String m = refusal(runAgainst(cert, trustCa()));
        assertTrue(m.contains("is signed by CA ssh-ed25519 " + fingerprint(otherCa) + ", which "), m);
        assertTrue(m.contains("does not trust for 127.0.0.1:"), m);
    }

    @Test
    void aRevokedCaIsRefused() throws IOException {
        Path cert = sign("revokedca", ca, "-h", "-n", "127.0.0.1", "-V", "-5m:+1h");
        String m = refusal(runAgainst(cert, trustCa() + "@revoked * " + pub(ca) + "\n"));
        assertTrue(m.contains("is signed by CA ssh-ed25519 " + fingerprint(ca) + ", which is marked @revoked in "), m);
    }

    @Test
    void aRevokedHostKeyIsRefusedEvenCertified() throws IOException {
        Path cert = sign("revokedkey", ca, "-h", "-n", "127.0.0.1", "-V", "-5m:+1h");
        String m = refusal(runAgainst(cert, trustCa() + "@revoked * " + pub(hostKey) + "\n"));
        assertTrue(m.contains("certifies key ssh-ed25519 " + fingerprint(hostKey) + ", which is marked @revoked in "), m);
    }

    @Test
    void aHostOutsideTheCaPatternIsNotTrustedByIt() throws IOException {
        Path cert = sign("outside", ca, "-h", "-n", "127.0.0.1", "-V", "-5m:+1h");
        // a negated match excludes the line, as in ssh: no CA applies, so no certificate is asked for
        // and the host's plain key is simply unknown
        String m = refusal(runAgainst(cert, "@cert-authority *,![127.0.0.1]:* " + pub(ca) + "\n"));
        assertTrue(m.startsWith("host key of 127.0.0.1:") && m.contains(" is unknown: it offered ssh-ed25519 "), m);
    }

    @Test
    void aPlainKeyUnderACaPatternIsRefusedUnlessPinned() throws IOException {
        String m = refusal(runAgainst(null, trustCa()));
        assertTrue(m.startsWith("host key of 127.0.0.1:"), m);
        assertTrue(m.contains("is a plain key (ssh-ed25519 " + fingerprint(hostKey) + "), not a certificate"), m);
        RunResult pinned = runAgainst(null, trustCa() + "[127.0.0.1]:PORT " + pub(hostKey) + "\n");
        assertEquals(0, pinned.exitStatus(), pinned.toString());
    }
}
