package dev.delegator.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.ca.CertificateAuthority;
import dev.delegator.ca.SignRequest;
import dev.delegator.certificates.UserCertificate;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * auth: certificate end to end against the real sshd: apply writes the CA trust, the KRL and the
 * principals line; ca sign's certificate (read by OpenSSH's own ssh client) logs in and runs the
 * dispatcher, and every part of the restriction is enforced by sshd. Runs as root.
 */
class CertificateLoginTest {
    ProvisionFixture fx;
    String name;
    String delegate;
    CertificateAuthority ca;

    @BeforeEach
    void setUp() throws Exception {
        fx = new ProvisionFixture();
        name = ProvisionFixture.randomName("c");
        delegate = fx.delegate();
        ca = CertificateAuthority.init(fx.root.resolve("ca"), "test-ca");
    }

    @AfterEach
    void tearDown() {
        if (fx != null) {
            fx.close();
        }
    }

    /** The fixture's delegation with auth: certificate, and from: when given. */
    private String delegation(String n, String d, String from) {
        return fx.delegation(n, d) + "    auth: certificate\n" + (from == null ? "" : "    from: " + from + "\n");
    }

    private Manifest manifest(String delegationsYaml, String caExtra) throws Exception {
        Path m = fx.root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\nca:\n  keys: ['" + ca.publicKey().toLine() + "']\n" + caExtra + "delegations:\n" + delegationsYaml);
        return ManifestLoader.load(m);
    }

    private Applier.Result apply(Manifest m) throws Exception {
        int before = listens();
        Applier.Result r = Applier.apply(m, fx.target(), new Applier.Options(true, Duration.ofMinutes(1), Progress.NONE));
        if (r.executed().steps().stream().anyMatch(s -> s instanceof DropInStep)) {
            awaitListens(before + 1);
        }
        return r;
    }

    private Path key(String n) {
        return fx.layout().callerKey(fx.caller.name(), n);
    }

    private UserCertificate sign(String n, List<String> from, Clock clock, Duration validity, Path out) throws Exception {
        SignRequest r = new SignRequest(n, fx.caller.name() + "@localhost", "delegator:" + n, fx.layout().forcedCommand(n), from,
                PublicKeyLine.read(Path.of(key(n) + ".pub")), validity, out);
        return ca.sign(r, clock);
    }

    private UserCertificate sign(String n, List<String> from) throws Exception {
        return sign(n, from, Clock.systemUTC(), Duration.ofHours(1), cert(n));
    }

    private Path cert(String n) {
        return Path.of(key(n) + "-cert.pub");
    }

    private CommandResult ssh(String user, String n, Path certificate, List<String> extra, String command) throws Exception {
        OpenSshClient c = new OpenSshClient(fx.sshd.port(), user, key(n), fx.layout().callerKnownHosts(fx.caller.name(), n));
        List<String> options = new java.util.ArrayList<>(List.of("-o", "CertificateFile=" + certificate));
        options.addAll(extra);
        return ApplyTest.ssh(c, options, command);
    }

    private CommandResult ssh(Path certificate, String command) throws Exception {
        return ssh(delegate, name, certificate, List.of(), command);
    }

    @Test
    void aCertificateLoginRunsTheDispatcherAndOnlyIt() throws Exception {
        Manifest m = manifest(delegation(name, delegate, null), "");
        apply(m);
        String dropIn = Files.readString(fx.target().sshdPaths().dropIn());
        assertTrue(dropIn.contains("    TrustedUserCAKeys " + fx.layout().trustedUserCaKeys() + "\n"), dropIn);
        assertTrue(dropIn.contains("    RevokedKeys " + fx.layout().revokedKeys() + "\n"), dropIn);
        assertTrue(dropIn.contains("    AuthorizedPrincipalsFile " + fx.layout().principalsDir() + "/%u\n"), dropIn);
        assertEquals(ca.publicKey().toLine() + "\n", Files.readString(fx.layout().trustedUserCaKeys()));
        assertTrue(KrlStep.isEmpty(fx.layout().revokedKeys()));
        String principals = Files.readString(fx.layout().principals(delegate));
        assertTrue(principals.startsWith(CertificatePlanner.HEADER + "restrict,from=\"127.0.0.1,::1\",expiry-time=\""), principals);
        assertTrue(principals.endsWith(",command=\"" + fx.layout().forcedCommand(name) + "\" delegator:" + name + "\n"), principals);
        assertFalse(Files.exists(fx.layout().authorizedKeys(delegate)) && Files.readString(fx.layout().authorizedKeys(delegate)).contains(name),
                "a certificate delegation writes no authorized_keys line");
        assertTrue(Planner.plan(m, fx.target()).isEmpty(), "a second apply has nothing to do");

        CommandResult noCert = ssh(fx.root.resolve("none-cert.pub"), "hello world");
        assertEquals(255, noCert.exitCode(), noCert::toString);

        sign(name, m.delegation(name).orElseThrow().from());
        CommandResult ok = ssh(cert(name), "hello world");
        assertEquals(0, ok.exitCode(), ok::toString);
        assertEquals("hello world from " + delegate + "\n", ok.stdout());
        CommandResult other = ssh(cert(name), "id");
        assertEquals(126, other.exitCode(), other::toString);
        CommandResult pty = ssh(delegate, name, cert(name), List.of("-tt"), null);
        assertTrue(pty.exitCode() != 0, pty::toString);
    }

    @Test
    void aCertificateForOneDelegationCannotLogInAsAnothersDelegate() throws Exception {
        String other = ProvisionFixture.randomName("c");
        String otherDelegate = fx.delegate();
        Manifest m = manifest(delegation(name, delegate, null) + delegation(other, otherDelegate, null), "");
        apply(m);
        sign(name, m.delegation(name).orElseThrow().from());
        CommandResult own = ssh(cert(name), "hello a");
        assertEquals(0, own.exitCode(), own::toString);
        CommandResult foreign = ssh(otherDelegate, name, cert(name), List.of(), "hello b");
        assertEquals(255, foreign.exitCode(), foreign::toString);
        assertTrue(foreign.stderr().contains("Permission denied"), foreign.stderr());
    }

    @Test
    void expiredAndNotYetValidCertificatesAreRefused() throws Exception {
        Manifest m = manifest(delegation(name, delegate, null), "");
        apply(m);
        List<String> from = m.delegation(name).orElseThrow().from();
        Path expired = fx.root.resolve("expired-cert.pub");
        sign(name, from, Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC), Duration.ofHours(1), expired);
        Path future = fx.root.resolve("future-cert.pub");
        sign(name, from, Clock.fixed(Instant.now().plus(Duration.ofHours(3)), ZoneOffset.UTC), Duration.ofHours(1), future);
        for (Path c : List.of(expired, future)) {
            CommandResult r = ssh(c, "hello world");
            assertEquals(255, r.exitCode(), r::toString);
        }
        String log = fx.sshd.logText();
        assertTrue(log.contains("Certificate invalid: expired"), log);
        assertTrue(log.contains("Certificate invalid: not yet valid"), log);
    }

    @Test
    void sourceAddressAndFromAreEachEnforced() throws Exception {
        // the principals line allows .1 and .2; the certificate only .1
        Manifest wide = manifest(delegation(name, delegate, "['127.0.0.1', '127.0.0.2']"), "");
        apply(wide);
        sign(name, List.of("127.0.0.1"));
        assertEquals(0, ssh(cert(name), "hello one").exitCode());
        CommandResult fromTwo = ssh(delegate, name, cert(name), List.of("-b", "127.0.0.2"), "hello two");
        assertEquals(255, fromTwo.exitCode(), fromTwo::toString);
        assertTrue(fx.sshd.logText().contains("with valid certificate but not from a permitted source address (127.0.0.2)"), fx.sshd.logText());

        // the other way round: the certificate allows .1 and .2; the principals line only .1
        Manifest narrow = manifest(delegation(name, delegate, "['127.0.0.1']"), "");
        apply(narrow);
        sign(name, List.of("127.0.0.1", "127.0.0.2"));
        assertEquals(0, ssh(cert(name), "hello one").exitCode());
        CommandResult lineDenies = ssh(delegate, name, cert(name), List.of("-b", "127.0.0.2"), "hello two");
        assertEquals(255, lineDenies.exitCode(), lineDenies::toString);
        assertTrue(fx.sshd.logText().contains("principals: Authentication tried for " + delegate + " with correct key but not from a permitted host (host=127.0.0.2, ip=127.0.0.2, required=127.0.0.1)"), fx.sshd.logText());
    }

    @Test
    void aPrincipalsLineWhoseCommandWasEditedRefusesTheLoginUntilApplyRepairsIt() throws Exception {
        Manifest m = manifest(delegation(name, delegate, null), "");
        apply(m);
        sign(name, m.delegation(name).orElseThrow().from());
        Path p = fx.layout().principals(delegate);
        String original = Files.readString(p);
        Files.writeString(p, original.replace(" " + name + "\" delegator:", " " + name + " --edited\" delegator:"));
        CommandResult edited = ssh(cert(name), "hello world");
        assertEquals(255, edited.exitCode(), edited::toString);
        assertTrue(fx.sshd.logText().contains("forced command options do not match"), fx.sshd.logText());
        dev.delegator.authorizedkeys.PrincipalsLinter lint = new dev.delegator.authorizedkeys.PrincipalsLinter(
                dev.delegator.authorizedkeys.AuthorizedKeysLinter.forThisMachine());
        UserCertificate signed = UserCertificate.read(cert(name));
        java.util.Map<String, java.util.Optional<String>> forced = java.util.Map.of("delegator:" + name, signed.forceCommand());
        List<String> kinds = lint.lint(List.of(p), forced).problems().stream().map(dev.delegator.authorizedkeys.LintProblem::kind).toList();
        assertEquals(List.of("command-differs-from-certificate"), kinds);

        String plan = Planner.plan(m, fx.target()).changes().stream().map(Change::display).collect(Collectors.joining("\n"));
        assertTrue(plan.contains("~ " + p + " (content differs"), plan);
        apply(m);
        assertEquals(original, Files.readString(p));
        assertEquals(0, ssh(cert(name), "hello world").exitCode());
        assertEquals(List.of(), lint.lint(List.of(p), forced).problems(), "what apply writes lints clean");
    }

    @Test
    void anUnreadableKrlRefusesLoginsAndApplyNeverInstallsOne() throws Exception {
        Path source = fx.root.resolve("revoked.krl");
        Manifest m = manifest(delegation(name, delegate, null), "  krl: " + source + "\n");
        apply(m);
        assertTrue(KrlStep.isEmpty(fx.layout().revokedKeys()), "a ca.krl that does not exist yet installs an empty KRL");
        sign(name, m.delegation(name).orElseThrow().from());
        assertEquals(0, ssh(cert(name), "hello world").exitCode());

        Files.writeString(fx.layout().revokedKeys(), "not a KRL\n");
        CommandResult broken = ssh(cert(name), "hello world");
        assertEquals(255, broken.exitCode(), broken::toString);

        Files.writeString(source, "also not a KRL\n");
        Plan refused = Planner.plan(m, fx.target());
        assertTrue(refused.blockers().stream().anyMatch(b -> b.message().startsWith("ca.krl " + source + " is not a KRL sshd can read")),
                refused.blockers()::toString);

        Files.delete(source);
        apply(m);
        assertTrue(KrlStep.isEmpty(fx.layout().revokedKeys()));
        assertEquals(0, ssh(cert(name), "hello world").exitCode());
    }

    @Test
    void revokedSerialsAndKeyIdsAreRefusedOnceApplyInstalledTheKrlAndRevokingTheCaRefusesAll() throws Exception {
        Manifest m = manifest(delegation(name, delegate, null), "  krl: " + ca.krlFile() + "\n");
        apply(m);
        List<String> from = m.delegation(name).orElseThrow().from();
        Path a = fx.root.resolve("a-cert.pub");
        Path b = fx.root.resolve("b-cert.pub");
        Path c = fx.root.resolve("c-cert.pub");
        UserCertificate first = sign(name, from, Clock.systemUTC(), Duration.ofHours(1), a);
        UserCertificate second = sign(name, from, Clock.systemUTC(), Duration.ofHours(1), b);
        sign(name, from, Clock.systemUTC(), Duration.ofHours(1), c);
        ca.revoke(new dev.delegator.ca.Revocation.Serial(first.serial()));
        ca.revoke(new dev.delegator.ca.Revocation.KeyId(second.keyId()));
        assertEquals(0, ssh(a, "hello before").exitCode(), "revoked only once apply installed the KRL");

        String plan = Planner.plan(m, fx.target()).changes().stream().map(Change::display).collect(Collectors.joining("\n"));
        assertTrue(plan.contains("~ " + fx.layout().revokedKeys() + " (install the KRL " + ca.krlFile() + ")"), plan);
        apply(m);
        CommandResult bySerial = ssh(a, "hello world");
        assertEquals(255, bySerial.exitCode(), bySerial::toString);
        CommandResult byId = ssh(b, "hello world");
        assertEquals(255, byId.exitCode(), byId::toString);
        assertTrue(fx.sshd.logText().contains("revoked by file " + fx.layout().revokedKeys()), fx.sshd.logText());
        CommandResult other = ssh(c, "hello world");
        assertEquals(0, other.exitCode(), other::toString);

        ca.revoke(new dev.delegator.ca.Revocation.Key(ca.publicKey()));
        apply(m);
        CommandResult caRevoked = ssh(c, "hello world");
        assertEquals(255, caRevoked.exitCode(), caRevoked::toString);
    }

    @Test
    void rotationTrustsOldAndNewThenDroppingTheOldKeyRefusesItsCertificates() throws Exception {
        String oldKey = ca.publicKey().toLine();
        Manifest before = manifest(delegation(name, delegate, null), "");
        apply(before);
        List<String> from = before.delegation(name).orElseThrow().from();
        Path old = fx.root.resolve("old-cert.pub");
        sign(name, from, Clock.systemUTC(), Duration.ofHours(1), old);

        String newKey = ca.next("test-ca-2").toLine();
        Path m = fx.root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\nca:\n  keys: ['" + oldKey + "', '" + newKey + "']\ndelegations:\n" + delegation(name, delegate, null));
        Manifest both = ManifestLoader.load(m);
        apply(both);
        Path fresh = fx.root.resolve("new-cert.pub");
        UserCertificate signed = sign(name, from, Clock.systemUTC(), Duration.ofHours(1), fresh);
        assertEquals(PublicKeyLine.parse(newKey).fingerprint(), signed.caFingerprint(), "ca sign uses the newest key");
        assertEquals(0, ssh(old, "hello old").exitCode());
        assertEquals(0, ssh(fresh, "hello new").exitCode());

        Files.writeString(m, "version: 1\nca:\n  keys: ['" + newKey + "']\ndelegations:\n" + delegation(name, delegate, null));
        apply(ManifestLoader.load(m));
        CommandResult dropped = ssh(old, "hello old");
        assertEquals(255, dropped.exitCode(), dropped::toString);
        assertEquals(0, ssh(fresh, "hello new").exitCode());
    }

    @Test
    void listShowsTheCertificatesExpiry() throws Exception {
        Manifest m = manifest(delegation(name, delegate, null), "");
        apply(m);
        DelegationStatus none = DelegationStatus.list(m, fx.target()).get(0);
        assertEquals(DelegationStatus.State.MISSING, none.state());
        assertEquals(List.of("no certificate " + cert(name) + "; sign one with delegator ca sign " + name + " " + key(name) + ".pub"),
                none.details());

        UserCertificate c = sign(name, m.delegation(name).orElseThrow().from());
        DelegationStatus ok = DelegationStatus.list(m, fx.target()).get(0);
        assertEquals(DelegationStatus.State.OK, ok.state(), ok::toString);
        assertEquals(c.validBefore(), ok.expires());
        assertEquals(List.of("certificate " + cert(name) + " (" + c.keyId() + ") valid until " + c.validBefore().orElseThrow()), ok.details());

        UserCertificate old = sign(name, m.delegation(name).orElseThrow().from(),
                Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC), Duration.ofHours(1), cert(name));
        DelegationStatus expired = DelegationStatus.list(m, fx.target()).get(0);
        assertEquals(DelegationStatus.State.EXPIRED, expired.state(), expired::toString);
        assertEquals(old.validBefore(), expired.expires());
    }

    @Test
    void applyOnTheCaHostSignsAndRenewsBeforeAThirdOfTheValidityIsLeft() throws Exception {
        CertificateAuthority hostCa = CertificateAuthority.init(fx.layout().caDir(), "host-ca");
        ca = hostCa;
        Manifest m = manifest(delegation(name, delegate, null), "");
        apply(m);
        UserCertificate first = UserCertificate.read(cert(name));
        assertEquals(Duration.ofHours(24).plus(CertificateAuthority.BACKDATE),
                Duration.between(first.validAfter(), first.validBefore().orElseThrow()));
        assertEquals(0, ssh(cert(name), "hello world").exitCode(), "the certificate apply signed logs in");
        assertTrue(Planner.plan(m, fx.target()).isEmpty(), "a fresh certificate is kept");

        // 17 of 24 hours gone: less than a third left
        sign(name, m.delegation(name).orElseThrow().from(), Clock.fixed(Instant.now().minus(Duration.ofHours(17)), ZoneOffset.UTC),
                Duration.ofHours(24), cert(name));
        String plan = Planner.plan(m, fx.target()).changes().stream().map(Change::display).collect(Collectors.joining("\n"));
        assertTrue(plan.contains("~ certificate " + cert(name) + " (less than a third of its validity left"), plan);
        apply(m);
        UserCertificate renewed = UserCertificate.read(cert(name));
        assertEquals(3L, renewed.serial());
        assertTrue(renewed.validBefore().orElseThrow().isAfter(Instant.now().plus(Duration.ofHours(23))), renewed::toString);
        assertEquals(3, Files.readAllLines(hostCa.logFile()).size(), "every signature is logged");
        assertEquals(0, ssh(cert(name), "hello again").exitCode());
    }

    private int listens() {
        return fx.sshd.logText().split("Server listening on 127.0.0.1", -1).length - 1;
    }

    /** After apply's SIGHUP, sshd re-execs: wait until it listens again. */
    private void awaitListens(int count) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (listens() >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("sshd did not listen again after the reload:\n" + fx.sshd.logText());
    }
}
