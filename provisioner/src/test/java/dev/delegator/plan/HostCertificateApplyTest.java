package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.accounts.Accounts;
import dev.delegator.ca.CertificateAuthority;
import dev.delegator.ca.HostSignRequest;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.sshdconfig.SshdPaths;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * apply on a delegate host serving a host certificate ({@code hostCertificates.serve}) against a
 * real private sshd: the drop-in's global HostCertificate line is in effect, OpenSSH's own ssh then
 * trusts the host through {@code @cert-authority} alone, a renewal rewrites the drop-in, dropping
 * {@code serve} removes the line, and what sshd would not serve stops apply before anything changes.
 */
class HostCertificateApplyTest {
    ProvisionFixture fx;
    String name;
    String delegate;
    CertificateAuthority hostCa;
    Path hostPub;
    Path cert;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ProvisionFixture();
        name = ProvisionFixture.randomName("t");
        delegate = fx.delegate();
        hostCa = CertificateAuthority.init(fx.root.resolve("host-ca"), "test-host-ca", true);
        hostPub = fx.root.resolve("sshd/ssh_host_ed25519_key.pub");
        cert = fx.root.resolve("sshd/ssh_host_ed25519_key-cert.pub");
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    private void signHost(Duration validity) throws Exception {
        hostCa.signHost(new HostSignRequest(List.of("127.0.0.1", "localhost"), PublicKeyLine.read(hostPub), validity, cert), Clock.systemUTC());
    }

    private Manifest manifest(String hostCertificates) throws Exception {
        Path m = fx.root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\n" + hostCertificates + "delegations:\n" + fx.delegation(name, delegate));
        return ManifestLoader.load(m);
    }

    private String serving(Path file) {
        return "hostCertificates:\n  serve: [" + file + "]\n";
    }

    private int listens() {
        return fx.sshd.logText().split("Server listening on 127.0.0.1", -1).length - 1;
    }

    private Applier.Result apply(Manifest m) throws Exception {
        int before = listens();
        Applier.Result r = Applier.apply(m, fx.target(), new Applier.Options(true, Duration.ofMinutes(1), Progress.NONE));
        if (r.executed().steps().stream().anyMatch(s -> s instanceof DropInStep)) {
            for (int i = 0; i < 400 && listens() < before + 1; i++) {
                Thread.sleep(50);
            }
            assertTrue(listens() >= before + 1, () -> "sshd did not listen again after the reload:\n" + fx.sshd.logText());
        }
        return r;
    }

    private static String summary(Plan p) {
        return p.changes().stream().map(Change::display).collect(Collectors.joining("\n"));
    }

    @Test
    void applyServesTheCertificateAndOpenSshTrustsTheHostByItsCaAlone() throws Exception {
        signHost(Duration.ofDays(30));
        Manifest m = manifest(serving(cert));
        Plan plan = Planner.plan(m, fx.target());
        assertTrue(summary(plan).contains("HostCertificate " + cert), summary(plan));
        apply(m);
        String dropIn = Files.readString(fx.target().sshdPaths().dropIn());
        int line = dropIn.indexOf("\nHostCertificate " + cert + "\n");
        assertTrue(line > 0 && line < dropIn.indexOf("Match Group delegator"), dropIn);
        assertTrue(dropIn.contains("# host certificate serial 1 for 127.0.0.1,localhost, valid until "), dropIn);
        assertTrue(fx.target().sshd().effective().get("hostcertificate").contains(cert.toString()));
        assertEquals(List.of(), Planner.plan(m, fx.target()).changes(), "a second plan has nothing to do");

        // OpenSSH's ssh, with no pin: only the host CA
        Path caOnly = Files.writeString(fx.root.resolve("ca_known_hosts"), "@cert-authority [127.0.0.1]:* " + hostCa.publicKey().toLine() + "\n");
        OpenSshClient c = new OpenSshClient(fx.sshd.port(), delegate, fx.layout().callerKey(fx.caller.name(), name), caOnly);
        CommandResult ok = ApplyTest.ssh(c, "hello world");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertEquals("hello world from " + delegate + "\n", ok.stdout());

        // a renewed certificate rewrites the drop-in, so sshd is reloaded and serves it
        signHost(Duration.ofDays(60));
        Plan renewed = Planner.plan(m, fx.target());
        assertTrue(summary(renewed).contains("a served host certificate was renewed"), summary(renewed));
        apply(m);
        assertTrue(Files.readString(fx.target().sshdPaths().dropIn()).contains("# host certificate serial 2 for "));

        // the manifest no longer asks: the line goes
        Manifest without = manifest("");
        apply(without);
        assertFalse(Files.readString(fx.target().sshdPaths().dropIn()).contains("HostCertificate"));
        assertFalse(fx.target().sshd().effective().getOrDefault("hostcertificate", List.of()).contains(cert.toString()));
    }

    @Test
    void aCertificateSshdWouldNotServeStopsApplyBeforeAnythingChanges() throws Exception {
        PlanRefusedException missing = assertThrows(PlanRefusedException.class, () -> apply(manifest(serving(cert))));
        assertTrue(missing.getMessage().contains("hostCertificates.serve: " + cert + " does not exist (or is not a regular file); "
                + "sign this host's key with delegator ca sign-host and put the certificate there"), missing.getMessage());
        assertTrue(new Accounts().user(delegate).isEmpty(), "nothing applied");

        // a certificate of another key: sshd would skip it, and every caller trusting the CA would refuse the host
        dev.delegator.testkit.ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", fx.root.resolve("other").toString());
        Path otherCert = fx.root.resolve("other-cert.pub");
        hostCa.signHost(new HostSignRequest(List.of("127.0.0.1"), PublicKeyLine.read(fx.root.resolve("other.pub")), Duration.ofDays(1),
                otherCert), Clock.systemUTC());
        PlanRefusedException foreign = assertThrows(PlanRefusedException.class, () -> apply(manifest(serving(otherCert))));
        assertTrue(foreign.getMessage().contains(", which is none of this host's host keys (sshd would not serve it)"), foreign.getMessage());
        assertFalse(Files.exists(fx.target().sshdPaths().dropIn()));
    }

    @Test
    void aHostCertificateThatWouldLandInAMatchBlockIsRestored() throws Exception {
        // a main config that includes the drop-ins inside a Match block: sshd -t refuses HostCertificate there
        signHost(Duration.ofDays(1));
        Path dir = fx.root.resolve("sshd-match");
        Files.createDirectories(dir.resolve("sshd_config.d"));
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, "HostKey " + fx.root.resolve("sshd/ssh_host_ed25519_key") + "\nUsePAM no\nMatch User nobody\n"
                + "    PasswordAuthentication no\nInclude " + dir.resolve("sshd_config.d") + "/*.conf\n");
        Path dropIn = dir.resolve("sshd_config.d").resolve(SshdPaths.DROP_IN_NAME);
        Files.writeString(dropIn, "# the previous drop-in\n");
        Target t = new Target(fx.layout(), new SshdPaths(config, SshdPaths.DEFAULT_BINARY), ThisHost.named(ProvisionFixture.HOST),
                new Accounts(), dev.delegator.install.ScriptSource.bundled(), Clock.systemUTC());
        String content = DropIn.render(fx.layout(), false, List.of(new DropIn.ServedCertificate(cert, "test")));
        DropInStep step = new DropInStep(List.of(), dropIn, content, false, List.of(), dev.delegator.files.AtomicFile.read(dropIn), List.of(cert));
        dev.delegator.systemtools.SystemToolException e = assertThrows(dev.delegator.systemtools.SystemToolException.class,
                () -> step.execute(new Execution(t, false, Duration.ofSeconds(5))));
        assertTrue(e.getMessage().startsWith("sshd -t -f " + config + " refuses the config with the delegator drop-in: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("the previous drop-in was restored"), e.getMessage());
        assertEquals("# the previous drop-in\n", Files.readString(dropIn));
    }

    @Test
    void theCallersKnownHostsCarryTheAuthoritiesThatCoverItsHostsAndTheRevokedKeys() throws Exception {
        String lost = PublicKeyLine.read(hostPub).toLine();
        Path m = fx.root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\n"
                + "hostCertificates:\n"
                + "  authorities:\n"
                + "    - {hosts: '*.example.org', key: '" + hostCa.publicKey().toLine() + "'}\n"
                + "    - {hosts: '*.example.net', key: '" + hostCa.publicKey().toLine() + "'}\n"
                + "  revoked: ['" + lost + "']\n"
                + "delegations:\n"
                + "  " + name + ":\n"
                + "    caller: {user: " + fx.caller.name() + ", host: " + ProvisionFixture.HOST + "}\n"
                + "    delegate: {user: dlg-web, home: /var/lib/dlg-web}\n"
                + "    hosts: ['web1.example.org']\n"
                + "    from: ['192.0.2.10']\n"
                + "    verbs:\n"
                + "      restart: {run: /usr/local/sbin/restart-blog}\n");
        apply(ManifestLoader.load(m));
        String knownHosts = Files.readString(fx.layout().callerKnownHosts(fx.caller.name(), name));
        // only the authority whose patterns cover the delegation's host: a caller trusts no more than it needs
        assertEquals("@cert-authority *.example.org " + hostCa.publicKey().toLine() + "\n@revoked * " + lost + "\n", knownHosts);
    }
}
