package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizedKeyLineTest {
    private static String ed() {
        return KeyFixtures.of(KeyType.ED25519).line();
    }

    private static String rsa() {
        String l = KeyFixtures.of(KeyType.RSA).line();
        return l.substring(0, l.lastIndexOf(" fixture"));
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void everyKeyTypeParsesWithSshKeygensFingerprint(KeyType type) {
        KeyFixtures.Fixture f = KeyFixtures.of(type);
        AuthorizedKeyLine line = AuthorizedKeyLine.parse(f.line());
        assertEquals(type, line.type());
        assertEquals(type.sshName(), line.keyType());
        assertEquals(f.fingerprint(), line.fingerprint());
        assertEquals(f.line(), line.render());
        assertTrue(line.options().isEmpty());

        AuthorizedKeyLine withOptions = AuthorizedKeyLine.parse("restrict,command=\"true\" " + f.line());
        assertEquals(f.fingerprint(), withOptions.fingerprint());
        assertEquals(List.of(KeyOption.flag("restrict"), KeyOption.valued("command", "true")), withOptions.options());
    }

    /** The examples of sshd(8), AUTHORIZED_KEYS FILE FORMAT (OpenSSH 9.2), with real keys put in. */
    static Stream<Arguments> sshdManPageExamples() {
        String sk = KeyFixtures.of(KeyType.SK_ECDSA_NISTP256).line();
        return Stream.of(
                Arguments.of(rsa() + " user@example.net", List.of()),
                Arguments.of("from=\"*.sales.example.net,!pc.sales.example.net\" " + rsa() + " john@example.net",
                        List.of(KeyOption.valued("from", "*.sales.example.net,!pc.sales.example.net"))),
                Arguments.of("command=\"dump /home\",no-pty,no-port-forwarding " + rsa() + " example.net",
                        List.of(KeyOption.valued("command", "dump /home"), KeyOption.flag("no-pty"), KeyOption.flag("no-port-forwarding"))),
                Arguments.of("restrict,command=\"dump /home\" " + rsa(),
                        List.of(KeyOption.flag("restrict"), KeyOption.valued("command", "dump /home"))),
                Arguments.of("permitopen=\"192.0.2.1:80\",permitopen=\"192.0.2.2:25\" " + rsa(),
                        List.of(KeyOption.valued("permitopen", "192.0.2.1:80"), KeyOption.valued("permitopen", "192.0.2.2:25"))),
                Arguments.of("permitlisten=\"localhost:8080\",permitlisten=\"[::1]:22000\" " + rsa(),
                        List.of(KeyOption.valued("permitlisten", "localhost:8080"), KeyOption.valued("permitlisten", "[::1]:22000"))),
                Arguments.of("tunnel=\"0\",command=\"sh /etc/netstart tun0\" " + rsa() + " jane@example.net",
                        List.of(KeyOption.valued("tunnel", "0"), KeyOption.valued("command", "sh /etc/netstart tun0"))),
                Arguments.of("restrict,pty,command=\"nethack\" " + rsa() + " joe@example.net",
                        List.of(KeyOption.flag("restrict"), KeyOption.flag("pty"), KeyOption.valued("command", "nethack"))),
                Arguments.of("no-touch-required " + sk, List.of(KeyOption.flag("no-touch-required"))),
                Arguments.of("verify-required " + sk, List.of(KeyOption.flag("verify-required"))),
                Arguments.of("cert-authority,no-touch-required,principals=\"user_a\" " + rsa(),
                        List.of(KeyOption.flag("cert-authority"), KeyOption.flag("no-touch-required"), KeyOption.valued("principals", "user_a"))),
                Arguments.of("expiry-time=\"20270101\",environment=\"A=b c\",agent-forwarding,X11-forwarding,user-rc,port-forwarding " + rsa(),
                        List.of(KeyOption.valued("expiry-time", "20270101"), KeyOption.valued("environment", "A=b c"),
                                KeyOption.flag("agent-forwarding"), KeyOption.flag("X11-forwarding"), KeyOption.flag("user-rc"),
                                KeyOption.flag("port-forwarding"))),
                Arguments.of("no-agent-forwarding,no-X11-forwarding,no-user-rc " + rsa(),
                        List.of(KeyOption.flag("no-agent-forwarding"), KeyOption.flag("no-X11-forwarding"), KeyOption.flag("no-user-rc"))));
    }

    @ParameterizedTest
    @MethodSource("sshdManPageExamples")
    void sshdManPageExamplesParse(String text, List<KeyOption> options) {
        AuthorizedKeyLine line = AuthorizedKeyLine.parse(text);
        assertEquals(options, line.options());
        assertEquals(text, line.render());
        for (KeyOption o : line.options()) {
            assertTrue(o.kind().isPresent(), o.name());
        }
    }

    @Test
    void optionNamesAreCaseInsensitiveAndKeptAsWritten() {
        AuthorizedKeyLine line = AuthorizedKeyLine.parse("RESTRICT,Command=\"x\",NO-PTY " + ed());
        assertEquals(List.of(KeyOption.flag("RESTRICT"), KeyOption.valued("Command", "x"), KeyOption.flag("NO-PTY")), line.options());
        assertTrue(line.options().get(2).negated());
        assertTrue(line.options().get(2).is(OptionKind.PTY));
        assertEquals(Optional.of("x"), line.value(OptionKind.COMMAND));
    }

    @Test
    void onlyBackslashQuoteIsAnEscape() {
        // written: a\\"b\c\"  -> sshd reads: a\"b\c"
        AuthorizedKeyLine line = AuthorizedKeyLine.parse("command=\"a\\\\\"b\\c\\\"\" " + ed());
        assertEquals(Optional.of("a\\\"b\\c\""), line.value(OptionKind.COMMAND));
    }

    @Test
    void spacesInsideQuotesDoNotEndTheOptions() {
        AuthorizedKeyLine line = AuthorizedKeyLine.parse("command=\"echo a  b\",from=\"10.0.0.0/8\" " + ed());
        assertEquals(Optional.of("echo a  b"), line.value(OptionKind.COMMAND));
        assertEquals(Optional.of("10.0.0.0/8"), line.value(OptionKind.FROM));
    }

    @Test
    void leadingWhitespaceTabsAndCommentsAreKept() {
        String text = " \t restrict\tssh-ed25519 " + ed().split(" ")[1] + "  two  words ";
        AuthorizedKeyLine line = AuthorizedKeyLine.parse(text);
        assertEquals(text, line.render());
        assertEquals("two  words ", line.comment());
        assertEquals(4, line.optionColumn(0));
        assertEquals(13, line.keyTypeColumn());
    }

    @Test
    void strayCommasAreAcceptedAsSshdDoes() {
        // checked against sshd 9.2: restrict,,command="x", and a trailing comma before the key all log in
        AuthorizedKeyLine line = AuthorizedKeyLine.parse(",restrict,,command=\"x\", " + ed());
        assertEquals(List.of(KeyOption.flag("restrict"), KeyOption.valued("command", "x")), line.options());
        assertEquals(List.of(1, 11, 23), line.strayCommaColumns());
    }

    @Test
    void signatureAlgorithmAndShortNamesAreReadAsSshdReadsThem() {
        String blob = KeyFixtures.of(KeyType.RSA).line().split(" ")[1];
        assertEquals(KeyType.RSA, AuthorizedKeyLine.parse("rsa-sha2-512 " + blob).type());
        assertEquals(KeyType.RSA, AuthorizedKeyLine.parse("RSA " + blob).type());
        assertEquals("RSA", AuthorizedKeyLine.parse("RSA " + blob).keyType());
    }

    static Stream<Arguments> failures() {
        String e = ed();
        String blob = e.split(" ")[1];
        return Stream.of(
                Arguments.of("no-ptty " + e, 1, "unknown option \"no-ptty\""),
                Arguments.of("restrict,no-ptty " + e, 10, "unknown option \"no-ptty\""),
                Arguments.of("restrictx " + e, 1, "unknown option \"restrictx\""),
                Arguments.of("command=x " + e, 9, "value of \"command\" is not in double quotes"),
                Arguments.of("command=\"x " + e, 9, "missing end quote"),
                Arguments.of("command=\"x\\\" " + e, 9, "missing end quote"),
                Arguments.of("command=\"a\",command=\"b\" " + e, 13, "second \"command\" option"),
                Arguments.of("from=\"a\",FROM=\"b\" " + e, 10, "second \"from\" option"),
                Arguments.of("principals=\"a\",principals=\"b\" " + e, 16, "second \"principals\" option"),
                Arguments.of("command=\"a\"x " + e, 12, "unexpected text after the value of \"command\""),
                Arguments.of("expiry-time=\"2027\" " + e, 13, "invalid expiry-time \"2027\" (want YYYYMMDD[HHMM[SS]][Z])"),
                Arguments.of("expiry-time=\"20271301\" " + e, 13, "invalid expiry-time \"20271301\" (want YYYYMMDD[HHMM[SS]][Z])"),
                Arguments.of("environment=\"NOEQUALS\" " + e, 13, "invalid environment string \"NOEQUALS\" (want NAME=value)"),
                Arguments.of("environment=\"A-B=c\" " + e, 13, "invalid environment string \"A-B=c\" (want NAME=value)"),
                Arguments.of("permitopen=\"host\" " + e, 12, "invalid permitopen \"host\": no port"),
                Arguments.of("permitopen=\"host:0\" " + e, 12, "invalid permitopen \"host:0\": invalid port"),
                Arguments.of("permitlisten=\"[::1\" " + e, 14, "invalid permitlisten \"[::1\": unterminated ["),
                Arguments.of("tunnel=\"tun0\" " + e, 8, "invalid tunnel device \"tun0\""),
                Arguments.of("ssh-ed25519", 12, "missing key data after \"ssh-ed25519\""),
                Arguments.of("ssh-ed25519 " + blob.substring(0, blob.length() - 4), 13, "key data ends inside the ed25519 public key"),
                Arguments.of("ssh-ed25519 AAAA!AAA", 13, "key data is not valid base64"),
                Arguments.of("ssh-ed25519 AB==", 13, "key data is not canonical base64 (padding or trailing bits)"),
                Arguments.of("ssh-ed25519 AA", 13, "key data is not canonical base64 (padding or trailing bits)"),
                Arguments.of("ecdsa-sha2-nistp256 " + blob, 21, "key data is a \"ssh-ed25519\" key, not ecdsa-sha2-nistp256"),
                Arguments.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", 13, "key data ends inside the ed25519 public key"),
                Arguments.of("ssh-foo " + blob, 1, "unknown key type \"ssh-foo\""),
                Arguments.of("restrict ssh-foo " + blob, 10, "unknown key type \"ssh-foo\""),
                Arguments.of("restrict, " , 1, "no key type and key data found"),
                Arguments.of("# a comment", 1, "not a key line (blank or comment)"),
                Arguments.of("   ", 4, "not a key line (blank or comment)"),
                Arguments.of("command=\"a\nb\" " + e, 11, "line break inside the line"));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void failuresNameTheColumnAndWhatSshdDoes(String text, int column, String problem) {
        AuthorizedKeysSyntaxException ex = assertThrows(AuthorizedKeysSyntaxException.class, () -> AuthorizedKeyLine.parse(text));
        assertEquals(problem, ex.problem());
        assertEquals(column, ex.column(), ex.getMessage());
        assertFalse(ex.consequence().isEmpty());
        assertTrue(ex.getMessage().startsWith("column " + column + ": " + problem + ": "), ex.getMessage());
    }

    @Test
    void skippedLinesSaySshdSkipsThem() {
        AuthorizedKeysSyntaxException ex = assertThrows(AuthorizedKeysSyntaxException.class,
                () -> AuthorizedKeyLine.parse("no-ptty " + ed()));
        assertEquals("sshd skips this line", ex.consequence());
        assertEquals("f:7:1: unknown option \"no-ptty\": sshd skips this line", ex.at("f", 7).getMessage());
    }

    @Test
    void rsaBelow1024BitsIsRefusedLikeSshdDoes() {
        String small = java.util.Base64.getEncoder().encodeToString(rsaBlob(1023));
        AuthorizedKeysSyntaxException ex = assertThrows(AuthorizedKeysSyntaxException.class,
                () -> AuthorizedKeyLine.parse("ssh-rsa " + small));
        assertEquals("RSA key has 1023 bits, sshd refuses keys below 1024", ex.problem());
        assertEquals(9, ex.column());
    }

    @Test
    void nulEndsTheLineAsForSshd() {
        AuthorizedKeyLine line = AuthorizedKeyLine.parse(ed() + "\0garbage");
        assertEquals(KeyType.ED25519, line.type());
        assertThrows(AuthorizedKeysSyntaxException.class, () -> AuthorizedKeyLine.parse("command=\"a\0\" " + ed()));
    }

    private static byte[] rsaBlob(int bits) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        byte[] name = "ssh-rsa".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] e = {1, 0, 1};
        byte[] n = java.math.BigInteger.ONE.shiftLeft(bits - 1).add(java.math.BigInteger.ONE).toByteArray();
        for (byte[] f : List.of(name, e, n)) {
            b.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(f.length).array());
            b.writeBytes(f);
        }
        return b.toByteArray();
    }
}
