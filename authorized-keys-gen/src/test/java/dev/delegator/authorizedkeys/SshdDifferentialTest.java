package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential tests with the real OpenSSH sshd: the lines our renderer writes make sshd run exactly
 * the command we meant, and the lines it refuses are ones sshd mangles or rejects. One private sshd
 * on 127.0.0.1 (own config, host key, random port, StrictModes on), one real throwaway account, the
 * OpenSSH client with strict host-key checking; the authorized_keys file is root-owned 0644 under
 * a root-owned 0755 directory.
 */
class SshdDifferentialTest {
    private static TestRoot root;
    private static OneKeySshd fx;
    private static TestUser user;
    private static PrivateSshd sshd;
    private static OpenSshClient client;
    private static Path keysFile;
    private static String pub;

    @TempDir
    static Path clientDir;

    @BeforeAll
    static void start() throws IOException {
        fx = OneKeySshd.start("engine-sshd", "dlgak", clientDir);
        root = fx.root;
        user = fx.user;
        sshd = fx.sshd;
        client = fx.client;
        keysFile = fx.keysFile;
        pub = fx.pub;
    }

    @AfterAll
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static void install(String content) throws IOException {
        fx.install(content);
    }

    private static DelegationLine.Builder line(String command) {
        return DelegationLine.builder().publicKey(pub).command(command).from(List.of("127.0.0.1"))
                .expiry(Instant.now().plus(Duration.ofDays(1)));
    }

    /** The payload as one single-quoted POSIX shell word. */
    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static Stream<String> hardCommands() {
        StringBuilder longOne = new StringBuilder();
        for (int i = 0; longOne.length() < 4096; i++) {
            // every piece, in an order that puts each next to many others
            longOne.append(LinePropertiesTest.PIECES[(i * 7) % LinePropertiesTest.PIECES.length]);
        }
        String longPayload = longOne.toString().endsWith("\\") ? longOne + "x" : longOne.toString();
        return Stream.of(
                "say \"hello\" twice \"\"",
                "back\\slash, double \\\\ and \\n",
                "backslash-quote \\\" inside and \\\\\" too",
                "ends with a quote\"",
                "\"starts with a quote",
                "$HOME ${PATH} $(id) $((1+1)) $1 $@",
                "`id` and `uname -a`",
                "a; b && c || d | e > f < g 2>&1 &",
                "it's 'single' quoted ''",
                "unicode é 日本語 😀 \u00a0nbsp \u2028ls",
                "tab\there",
                "*?[glob] ~ ~root {a,b}",
                "#not a comment, key=value, x",
                " leading and trailing spaces ",
                "%s %% %d \\x41 \\101",
                longPayload);
    }

    @ParameterizedTest
    @MethodSource("hardCommands")
    void sshdRunsExactlyTheCommandWeWrote(String payload) throws IOException {
        String command = "printf %s " + shellQuote(payload);
        AuthorizedKeyLine line = line(command).build();
        install("# written by the test\n" + line.render() + "\n");
        CommandResult result = client.run("the client asks for something else");
        assertEquals(0, result.exitCode(), result.stderr() + "\nline: " + line.render() + "\nsshd log:\n" + sshd.logText());
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), result.stdoutBytes(),
                "sshd ran something else than " + command);
        if (command.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && command.length() < 800) {
            // sshd logs the forced command it runs (session.c), through strnvis which doubles backslashes
            String logged = command.replace("\\", "\\\\");
            assertTrue(sshd.logText().contains("forced-command (key-option) '" + logged + "'"), sshd.logText());
        }
    }

    @Test
    void fromWithExactAddressAndCidrAllowsAndOtherNetworksDeny() throws IOException {
        for (String from : List.of("127.0.0.1", "127.0.0.0/8", "10.0.0.0/8,127.0.0.1", "!10.0.0.1,127.0.0.*")) {
            install(line("printf ok").from(List.of(from.split(","))).build().render() + "\n");
            CommandResult ok = client.run("x");
            assertEquals("ok", ok.stdout(), from + ": " + ok.stderr());
        }
        install(line("printf ok").from(List.of("10.0.0.0/8")).build().render() + "\n");
        assertDenied(client.run("x"));
    }

    @Test
    void legacyIpv4SpellingsMeanWhatLintSaysToSshdAndTheWriterRefusesThem() throws IOException {
        // sshd reads from= addresses with inet_aton's rules: 0177.0.0.1 (octal) and 127.1 are
        // 127.0.0.1, so they let this client in; 010.0.0.1 is 8.0.0.1, not 10.0.0.1
        for (String from : List.of("0177.0.0.1", "127.1", "0x7f.0.0.1", "2130706433")) {
            String naive = "restrict,from=\"" + from + "\",command=\"printf ok\" " + pub;
            install(naive + "\n");
            CommandResult ok = client.run("x");
            assertEquals("ok", ok.stdout(), from + ": " + ok.stderr());
            assertEquals(List.of("naive:1:10: from= entry \"" + from + "\" is a legacy IPv4 spelling: sshd reads it as 127.0.0.1"),
                    lint(naive));
            UnsafeLineException e = assertThrows(UnsafeLineException.class,
                    () -> line("printf ok").from(List.of(from)).allowHostNamesInFrom(true).build());
            assertTrue(e.getMessage().contains("sshd reads it as 127.0.0.1; write 127.0.0.1"), e.getMessage());
        }
        String eight = "restrict,from=\"010.0.0.1\",command=\"printf ok\" " + pub;
        install(eight + "\n");
        assertDenied(client.run("x"));
        assertEquals(List.of("naive:1:10: from= entry \"010.0.0.1\" is a legacy IPv4 spelling: sshd reads it as 8.0.0.1"),
                lint(eight));
    }

    @Test
    void pastExpiryDeniesAndFutureExpiryInZFormAllows() throws IOException {
        install(line("printf ok").expiry(Instant.now().minus(Duration.ofMinutes(5))).build().render() + "\n");
        assertDenied(client.run("x"));
        AuthorizedKeyLine future = line("printf ok").expiry(Instant.now().plus(Duration.ofMinutes(5))).build();
        assertTrue(future.value(OptionKind.EXPIRY_TIME).orElseThrow().endsWith("Z"));
        install(future.render() + "\n");
        assertEquals("ok", client.run("x").stdout());
    }

    @Test
    void restrictedLineRefusesAPtyAndIgnoresForwardingRequestsWhileTheCommandRuns() throws IOException {
        install(line("printf ok").build().render() + "\n");
        int port = dev.delegator.testkit.FreePorts.find();
        CommandResult r = client.run(List.of("-A", "-X", "-L", port + ":127.0.0.1:9", "-o", "ExitOnForwardFailure=no"), "x");
        assertEquals("ok", r.stdout(), r.stderr());
        CommandResult pty = client.run(List.of("-tt"), "x");
        assertTrue(pty.stderr().contains("PTY allocation request failed"), pty.stderr());
    }

    // ---- lines our renderer refuses, written by hand: sshd mangles or rejects them ----

    @Test
    void valueEndingInBackslashIsRefusedAndSshdSkipsSuchALine() throws IOException {
        assertThrows(UnsafeLineException.class, () -> line("printf %s x\\").build());
        String naive = "restrict,command=\"printf %s x\\\" " + pub;
        AuthorizedKeysSyntaxException e = assertThrows(AuthorizedKeysSyntaxException.class, () -> AuthorizedKeyLine.parse(naive));
        assertEquals("missing end quote", e.problem());
        install(naive + "\n");
        assertDenied(client.run("x"));
    }

    @Test
    void lineBreakInACommandIsRefusedBecauseItSmugglesAnUnrestrictedKey() throws IOException {
        String evil = "true\n" + pub + " #";
        UnsafeLineException refused = assertThrows(UnsafeLineException.class, () -> line(evil).build());
        assertTrue(refused.getMessage().contains("holds a line break"), refused.getMessage());
        // what a naive writer produces: sshd skips the first half and reads the second as a bare key
        String naive = "restrict,command=\"" + evil + "\" " + pub + "\n";
        install(naive);
        CommandResult r = client.run("echo UNRESTRICTED");
        assertEquals("UNRESTRICTED\n", r.stdout(), r.stderr());
        AuthorizedKeysFile parsed = AuthorizedKeysFile.parse(naive, "naive");
        assertEquals(FileLine.Kind.INVALID, parsed.lines().get(0).kind());
        assertEquals(FileLine.Kind.KEY, parsed.lines().get(1).kind());
        assertTrue(parsed.lines().get(1).key().orElseThrow().options().isEmpty());
    }

    @Test
    void nulInACommandIsRefusedAndSshdCutsTheLineThere() throws IOException {
        assertThrows(UnsafeLineException.class, () -> line("printf a\0b").build());
        String naive = "restrict,command=\"printf a\0b\" " + pub;
        assertEquals("missing end quote", assertThrows(AuthorizedKeysSyntaxException.class, () -> AuthorizedKeyLine.parse(naive)).problem());
        install(naive + "\n");
        assertDenied(client.run("x"));
    }

    @Test
    void cidrWithHostBitsIsRefusedAndSshdDeniesTheLine() throws IOException {
        UnsafeLineException e = assertThrows(UnsafeLineException.class, () -> line("printf ok").from(List.of("127.0.0.1/8")).build());
        assertTrue(e.getMessage().contains("\"127.0.0.1/8\" has host bits set"), e.getMessage());
        String naive = "restrict,from=\"127.0.0.1/8\",command=\"printf ok\" " + pub;
        install(naive + "\n");
        assertDenied(client.run("x"));
        assertTrue(sshd.logText().contains("inconsistent mask length") || sshd.logText().contains("Refused by key options")
                || sshd.logText().contains("not from a permitted host"), sshd.logText());
        assertEquals(List.of("naive:1:10: from= entry \"127.0.0.1/8\" has host bits set: sshd refuses the line"),
                lint(naive));
    }

    @Test
    void typoedOptionIsRefusedAndSshdSkipsTheLine() throws IOException {
        assertThrows(UnsafeLineException.class, () -> line("printf ok").option(KeyOption.flag("no-ptty")).build());
        String naive = "restrict,no-ptty,command=\"printf ok\" " + pub;
        install(naive + "\n");
        assertDenied(client.run("x"));
        assertEquals(List.of("naive:1:10: unknown option \"no-ptty\": sshd skips this line"), lint(naive));
    }

    @Test
    void sameKeyTwiceLetsTheSecondCopyInWhenTheFirstFailsItsFrom() throws IOException {
        String content = "restrict,from=\"10.0.0.0/8\",command=\"printf restricted\" " + pub + "\n" + pub + "\n";
        install(content);
        CommandResult r = client.run("echo UNRESTRICTED");
        assertEquals("UNRESTRICTED\n", r.stdout(), r.stderr());
        assertThrows(DuplicateKeyException.class, () -> AuthorizedKeysFile.parse(content, "ak").render());
    }

    @Test
    void trailingAndDoubledCommasAreAcceptedBySshd92AsOurParserSays() throws IOException {
        // SECURITY.md says a trailing comma fails the line; OpenSSH 9.2 accepts it (sshauthopt_parse
        // only fails on a comma at the very end of the string, and the key always follows).
        String text = ",restrict,,command=\"printf stray\", " + pub;
        AuthorizedKeyLine parsed = AuthorizedKeyLine.parse(text);
        assertEquals(Optional.of("printf stray"), parsed.value(OptionKind.COMMAND));
        install(text + "\n");
        assertEquals("stray", client.run("x").stdout());
    }

    @Test
    void optionNamesAreCaseInsensitiveToSshdToo() throws IOException {
        String text = "RESTRICT,Command=\"printf upper\",FROM=\"127.0.0.1\" " + pub;
        assertEquals(Optional.of("printf upper"), AuthorizedKeyLine.parse(text).value(OptionKind.COMMAND));
        install(text + "\n");
        assertEquals("upper", client.run("x").stdout());
    }

    @Test
    void crlfFileIsReadBySshdAsOurModelSays() throws IOException {
        String content = "# windows editor\r\n" + line("printf crlf").build().render() + "\r\n";
        assertEquals(content, AuthorizedKeysFile.parse(content, "ak").render());
        install(content);
        assertEquals("crlf", client.run("x").stdout());
    }

    // seeded properties (random commands arrive intact, the parser agrees with sshd on mutated
    // options) are jqwik properties in SshdPropertiesTest

    // ---- lines sshd reads differently from how they look: lint says what sshd does ----

    @Test
    void principalsWithoutCertAuthorityMakesSshdRefuseTheKey() throws IOException {
        String text = "restrict,principals=\"" + user.name() + "\",command=\"printf ok\" " + pub;
        install(text + "\n");
        assertDenied(client.run("x"));
        assertEquals(List.of("naive:1:10: principals= without cert-authority: sshd refuses the line (\"principals on non-CA key\"):"
                + " the key cannot log in with it"), lint(text));
        install("restrict,command=\"printf ok\" " + pub + "\n");
        assertEquals("ok", client.run("x").stdout(), "the same line without principals= lets the key in");
    }

    @Test
    void aCertificateWrittenAsTheKeyLetsInNeitherTheCertificateNorItsKey() throws IOException {
        Certified c = certified("-n", user.name());
        String text = "restrict,command=\"printf ok\" " + c.certLine();
        install(text + "\n");
        assertDenied(client.run("x"));
        assertDenied(c.login());
        assertEquals(List.of("naive:1:30: a certificate (ssh-ed25519-cert-v01@openssh.com) written as the key: sshd lets in neither the"
                + " certificate nor its plain key with this line; write the plain key, or the CA's key with cert-authority"), lint(text));
        install("cert-authority,restrict,command=\"printf ok\" " + c.caLine() + "\n");
        assertEquals("ok", c.login().stdout(), "the certificate itself is good: its CA's line lets it in");
    }

    @Test
    void anEmptyPrincipalsListOnACertAuthorityLineMatchesNoCertificate() throws IOException {
        Certified c = certified("-n", user.name() + ",deploy");
        String empty = "cert-authority,principals=\"\",restrict,command=\"printf ok\" " + c.caLine();
        install(empty + "\n");
        assertDenied(c.login());
        assertEquals(List.of("naive:1:16: principals=\"\" is empty: sshd never matches a certificate to it; the CA line lets nobody in"),
                lint(empty));
        String named = "cert-authority,principals=\"deploy\",restrict,command=\"printf ok\" " + c.caLine();
        install(named + "\n");
        assertEquals("ok", c.login().stdout());
        assertEquals(List.of(), lint(named));
    }

    @Test
    void aNormalizedExpiryIsTheDateSshdUsesAsLintNamesIt() throws IOException {
        // sshd accepts Feb 31 (strptime) and moves it (timegm): a future one lets the key in
        String future = "restrict,expiry-time=\"20990231Z\",command=\"printf ok\" " + pub;
        install(future + "\n");
        assertEquals("ok", client.run("x").stdout());
        assertEquals(List.of("naive:1:10: expiry-time \"20990231Z\" is not a real date and time: sshd reads it as 2099-03-03 00:00:00 UTC"),
                lint(future));
        // a past one is denied, and sshd's debug log names the date it used: the one lint names
        String past = "restrict,expiry-time=\"20200231Z\",command=\"printf ok\" " + pub;
        install(past + "\n");
        List<String> lint = lint(past);
        assertEquals(List.of("naive:1:10: expiry-time in the past (20200231Z): sshd denies this key",
                "naive:1:10: expiry-time \"20200231Z\" is not a real date and time: sshd reads it as 2020-03-02 00:00:00 UTC"), lint);
        try (PrivateSshd debug = PrivateSshd.builder(root.resolve("sshd-debug")).authorizedKeysFile(keysFile.getParent() + "/%u")
                .logLevel("DEBUG").start()) {
            OpenSshClient c = new OpenSshClient(debug.port(), user.name(), client.identity(), debug.writeKnownHosts(clientDir.resolve("known_hosts_debug")));
            assertDenied(c.run("x"));
            // sshd formats it in its own local zone (format_absolute_time)
            String at = java.time.LocalDateTime.of(2020, 3, 2, 0, 0).atOffset(ZoneOffset.UTC).atZoneSameInstant(java.time.ZoneId.systemDefault())
                    .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
            assertTrue(debug.logText().contains("entry expired at " + at), debug.logText());
        }
    }

    /** The test key certified by a throwaway CA, and a client that offers the certificate. */
    private record Certified(String certLine, String caLine, Path certFile) {
        /** ssh offering the certificate (then the plain key, as ssh does). */
        CommandResult login() {
            return client.run(List.of("-o", "CertificateFile=" + certFile), "x");
        }
    }

    private static Certified certified(String... principals) throws IOException {
        Path dir = Files.createTempDirectory(clientDir, "cert");
        Path ca = dir.resolve("ca");
        Proc.ok("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", ca.toString());
        // a name of its own: ssh would otherwise pick up <key>-cert.pub in every other test
        Path certified = dir.resolve("certified.pub");
        Files.copy(Path.of(client.identity() + ".pub"), certified);
        List<String> sign = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-s", ca.toString(), "-I", "differential", "-V", "-5m:+1h"));
        sign.addAll(List.of(principals));
        sign.add(certified.toString());
        Proc.ok(sign.toArray(String[]::new));
        Path cert = dir.resolve("certified-cert.pub");
        return new Certified(Files.readString(cert).strip(), Files.readString(Path.of(ca + ".pub")).strip(), cert);
    }

    private static List<String> lint(String content) {
        return new AuthorizedKeysLinter(java.time.Clock.systemUTC(), ZoneOffset.UTC, Optional.empty())
                .lintContent(AuthorizedKeysFile.parse(content, "naive")).stream().map(LintProblem::toString).toList();
    }

    private static void assertDenied(CommandResult r) {
        assertEquals(255, r.exitCode(), "expected a refused login, got " + r.exitCode() + ": " + r.stdout() + r.stderr()
                + "\nsshd log:\n" + sshd.logText());
        assertTrue(r.stderr().contains("Permission denied"), r.stderr());
    }
}
