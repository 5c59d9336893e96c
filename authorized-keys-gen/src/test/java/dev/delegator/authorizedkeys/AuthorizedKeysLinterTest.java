package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.TestRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizedKeysLinterTest {
    private static final String ED = KeyFixtures.of(KeyType.ED25519).line();
    private static final String RSA = KeyFixtures.of(KeyType.RSA).line();
    private static final String SK = KeyFixtures.of(KeyType.SK_ED25519).line();
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    private static final AuthorizedKeysLinter LINTER = new AuthorizedKeysLinter(NOW, ZoneId.of("Europe/Berlin"), Optional.of("dlg"));

    private static List<String> lint(String content) {
        return LINTER.lintContent(AuthorizedKeysFile.parse(content, "ak")).stream().map(LintProblem::toString).toList();
    }

    static Stream<Arguments> problems() {
        String fpEd = KeyFixtures.of(KeyType.ED25519).fingerprint();
        return Stream.of(
                Arguments.of("restrict,no-ptty " + ED, List.of("ak:1:10: unknown option \"no-ptty\": sshd skips this line")),
                Arguments.of("restrict " + ED + "\n#\nrestrict,command=\"x\" " + ED,
                        List.of("ak:3:22: duplicate of line 1 (same key " + fpEd + "): sshd uses the first")),
                Arguments.of(ED, List.of("ak:1:1: no restrict: forwarding allowed (port, agent, X11; pty too)")),
                Arguments.of("no-pty,no-port-forwarding " + ED, List.of("ak:1:1: no restrict: forwarding allowed (agent, X11)")),
                Arguments.of("  no-pty,no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command=\"x\" " + ED,
                        List.of("ak:1:67: command= without restrict: ~/.ssh/rc runs first")),
                Arguments.of("restrict,pty,command=\"x\" " + ED, List.of("ak:1:10: \"pty\" after restrict: re-enables pty allocation")),
                Arguments.of("restrict,Port-Forwarding " + ED, List.of("ak:1:10: \"Port-Forwarding\" after restrict: re-enables port forwarding")),
                Arguments.of("restrict,user-rc,command=\"x\" " + ED, List.of(
                        "ak:1:10: \"user-rc\" after restrict: re-enables ~/.ssh/rc",
                        "ak:1:18: command= without restrict: ~/.ssh/rc runs first")),
                Arguments.of("restrict,environment=\"LD_PRELOAD=/x.so\" " + ED,
                        List.of("ak:1:10: environment= present: LD_PRELOAD-style escapes with PermitUserEnvironment")),
                Arguments.of("restrict,from=\"127.0.0.1,10.0.0.1/8\" " + ED,
                        List.of("ak:1:10: from= entry \"10.0.0.1/8\" has host bits set: sshd refuses the line")),
                Arguments.of("restrict,from=\"10.0.0.0/40\" " + ED,
                        List.of("ak:1:10: from= entry \"10.0.0.0/40\" has mask /40 beyond 32 bits: sshd refuses the line")),
                // OpenSSH 9.2 and 10.0 disagree on these masks: the explanation names both
                Arguments.of("restrict,from=\"10.0.0.0/+8\" " + ED,
                        List.of("ak:1:10: from= entry \"10.0.0.0/+8\" has mask \"/+8\": OpenSSH 9.2 compares it as a wildcard and"
                                + " it never matches; 10.0 reads it as /8")),
                Arguments.of("restrict,from=\"::1/129\" " + ED,
                        List.of("ak:1:10: from= entry \"::1/129\" has mask /129 beyond 128 bits: OpenSSH 9.2 compares it as a"
                                + " wildcard and it never matches; 10.0 refuses the line")),
                Arguments.of("restrict,from=\"127.0.0.1,\" " + ED, List.of("ak:1:10: from= entry \"\" is empty: sshd refuses the line")),
                Arguments.of("restrict,from=\"!10.0.0.0/8\" " + ED, List.of("ak:1:10: from= has only negations: sshd never matches it; the key never works")),
                Arguments.of("restrict,from=\"127.1,010.0.0.1,!0x0a.1/32\" " + ED, List.of(
                        "ak:1:10: from= entry \"127.1\" is a legacy IPv4 spelling: sshd reads it as 127.0.0.1",
                        "ak:1:10: from= entry \"010.0.0.1\" is a legacy IPv4 spelling: sshd reads it as 8.0.0.1",
                        "ak:1:10: from= entry \"!0x0a.1/32\" is a legacy IPv4 spelling: sshd reads it as 10.0.0.1")),
                Arguments.of("restrict,from=\"10.1/16\" " + ED,
                        List.of("ak:1:10: from= entry \"10.1/16\" has host bits set: sshd refuses the line")),
                Arguments.of("restrict,from=\"build.example.net\" " + ED,
                        List.of("ak:1:10: from= entry \"build.example.net\" is a host name: only matches with UseDNS yes (default no)")),
                Arguments.of("restrict,expiry-time=\"20260101Z\" " + ED, List.of("ak:1:10: expiry-time in the past (20260101Z): sshd denies this key")),
                Arguments.of("restrict,expiry-time=\"20300101\" " + ED, List.of("ak:1:10: expiry-time without Z: server local time applies")),
                Arguments.of("restrict,expiry-time=\"202611251230\" " + ED, List.of(
                        "ak:1:10: expiry-time in the past (202611251230): sshd denies this key",
                        "ak:1:10: expiry-time without Z: server local time applies")),
                Arguments.of("restrict,,command=\"x\", " + ED, List.of(
                        "ak:1:10: stray comma in the options: sshd ignores it; check nothing is missing",
                        "ak:1:22: stray comma in the options: sshd ignores it; check nothing is missing")),
                Arguments.of("restrict " + KeyFixtures.of(KeyType.DSA).line(),
                        List.of("ak:1:10: ssh-dss key: OpenSSH 9.2 refuses DSA keys unless PubkeyAcceptedAlgorithms enables them;"
                                + " 10.0 and later do not read the line as a key at all (DSA support removed)")),
                Arguments.of("restrict RSA " + RSA.split(" ")[1],
                        List.of("ak:1:10: key type written \"RSA\" instead of \"ssh-rsa\": sshd accepts it, other tools may not")),
                Arguments.of("restrict,principals=\"a\" " + ED, List.of(
                        "ak:1:10: principals= without cert-authority: sshd refuses the line (\"principals on non-CA key\"): the key cannot log in with it")),
                Arguments.of("cert-authority,principals=\"\",restrict " + ED, List.of(
                        "ak:1:16: principals=\"\" is empty: sshd never matches a certificate to it; the CA line lets nobody in")),
                Arguments.of("cert-authority,principals=\"deploy\",restrict " + ED, List.of()),
                Arguments.of("restrict " + KeyFixtures.of(KeyType.ED25519_CERT).line(), List.of(
                        "ak:1:10: a certificate (ssh-ed25519-cert-v01@openssh.com) written as the key: sshd lets in neither the certificate"
                                + " nor its plain key with this line; write the plain key, or the CA's key with cert-authority")),
                Arguments.of("restrict,expiry-time=\"20990231Z\" " + ED, List.of(
                        "ak:1:10: expiry-time \"20990231Z\" is not a real date and time: sshd reads it as 2099-03-03 00:00:00 UTC")),
                Arguments.of("restrict,expiry-time=\"20991231235960\" " + ED, List.of(
                        "ak:1:10: expiry-time without Z: server local time applies",
                        "ak:1:10: expiry-time \"20991231235960\" is not a real date and time: sshd reads it as 2100-01-01 00:00:00 server local time")),
                Arguments.of("restrict,expiry-time=\"209902281230UTC\" " + ED, List.of()),
                Arguments.of("restrict,no-touch-required " + SK, List.of("ak:1:10: no-touch-required: the security key signs without a touch")),
                Arguments.of("restrict " + ED + " c\0x", List.of("ak:1:" + (ED.length() + 12) + ": NUL byte: sshd ignores the rest of the line")),
                Arguments.of(AuthorizedKeysFile.BEGIN_MARKER + "\n", List.of("ak:1:1: managed block is never closed: delegator refuses to rewrite this file")),
                Arguments.of("# fine\n\nrestrict,from=\"127.0.0.1\",expiry-time=\"20270101Z\",command=\"x\" " + ED + "\n", List.of()));
    }

    @ParameterizedTest
    @MethodSource("problems")
    void reportsEachProblemAtItsLineAndColumn(String content, List<String> expected) {
        assertEquals(expected, lint(content));
    }

    @Test
    void duplicatesAcrossFilesAreReported() throws IOException {
        try (TestRoot dir = TestRoot.create("engine-lint")) {
            Path ssh = Files.createDirectory(dir.path().resolve(".ssh"));
            Path one = Files.writeString(ssh.resolve("authorized_keys"), "restrict " + RSA + "\nrestrict " + ED + "\n");
            Path two = Files.writeString(ssh.resolve("authorized_keys2"), "# old\nrestrict,command=\"x\" " + ED + "\n");
            for (Path p : List.of(ssh, one, two)) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(p == ssh ? "rwxr-xr-x" : "rw-r--r--"));
            }
            LintReport r = new AuthorizedKeysLinter(NOW, ZoneOffset.UTC, Optional.empty()).lint(List.of(one, two));
            assertEquals(List.of(two + ":2:22: duplicate of " + one + ":2 (same key " + KeyFixtures.of(KeyType.ED25519).fingerprint()
                    + "): sshd uses the first"), r.problems().stream().map(LintProblem::toString).toList());
            assertTrue(r.toJson().contains("\"kind\":\"duplicate-key\""), r.toJson());
        }
    }

    @Test
    void modesAndOwnersOfTheFileAndItsDirectoriesAreReported() throws IOException {
        try (TestRoot dir = TestRoot.create("engine-lint")) {
            UserPrincipal daemon = dir.path().getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("daemon");
            Path home = Files.createDirectory(dir.path().resolve("home"));
            Path ssh = Files.createDirectory(home.resolve(".ssh"));
            Path ak = Files.writeString(ssh.resolve("authorized_keys"), "restrict " + ED + "\n");
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxr-x"));
            Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx---rwx"));
            Files.setOwner(ssh, daemon);
            Files.setPosixFilePermissions(ak, PosixFilePermissions.fromString("rw--w----"));
            LintReport r = new AuthorizedKeysLinter(NOW, ZoneOffset.UTC, Optional.of("nobody")).lint(List.of(ak));
            assertEquals(List.of(
                    ak + ": group-writable: StrictModes refuses the file",
                    ak + ": owned by root and not readable by nobody: sshd opens it as nobody and finds no keys",
                    ak + ": directory " + ssh + " world-writable: StrictModes refuses the file",
                    ak + ": directory " + ssh + " owned by daemon, not root or nobody: StrictModes refuses the file",
                    ak + ": directory " + home + " group-writable: StrictModes refuses the file"),
                    r.problems().stream().map(LintProblem::toString).toList());
            assertEquals(0, r.problems().get(0).line());
            assertTrue(r.toJson().contains("\"line\":null,\"column\":null,\"kind\":\"group-writable\""), r.toJson());
        }
    }

    @Test
    void unreadableFilesAreListedApart() {
        LintReport r = LINTER.lint(List.of(Path.of("/nonexistent/delegator/ak")));
        assertEquals(List.of("/nonexistent/delegator/ak: cannot read: NoSuchFile /nonexistent/delegator/ak"), r.unreadable());
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void jsonEscapesEverything() {
        LintReport r = new LintReport(List.of(new LintProblem("a\"b\\c", 1, 2, "k", "p\nq\u0001", "c")), List.of());
        assertEquals("{\"problems\":[{\"file\":\"a\\\"b\\\\c\",\"line\":1,\"column\":2,\"kind\":\"k\",\"problem\":\"p\\nq\\u0001\",\"consequence\":\"c\"}],\"unreadable\":[]}",
                r.toJson());
    }
}
