package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DelegationLineTest {
    private static final String PUB = KeyFixtures.of(KeyType.ED25519).line();
    private static final String BLOB = PUB.split(" ")[1];

    private static DelegationLine.Builder base() {
        return DelegationLine.builder().publicKey(PUB);
    }

    @Test
    void writesRestrictFirstAndCanonicalQuoting() {
        AuthorizedKeyLine line = base()
                .command("/usr/lib/delegator/dispatch blog")
                .from(List.of("127.0.0.1", "::1", "10.0.0.0/8"))
                .expiry(Instant.parse("2027-03-04T05:06:07.890Z"))
                .comment("delegator:blog")
                .build();
        assertEquals("restrict,from=\"127.0.0.1,::1,10.0.0.0/8\",expiry-time=\"20270304050607Z\","
                + "command=\"/usr/lib/delegator/dispatch blog\" ssh-ed25519 " + BLOB + " delegator:blog", line.render());
        assertEquals(line, AuthorizedKeyLine.parse(line.render()));
    }

    @Test
    void keepsThePublicKeysCommentByDefault() {
        assertEquals("restrict ssh-ed25519 " + BLOB + " fixture ED25519", base().build().render());
    }

    @Test
    void quoteAndBackslashArriveAsWritten() {
        // sshd: only \" is an escape, so " is written \" and a literal \" is written \\"
        AuthorizedKeyLine line = base().command("echo \"a\" \\\"b\\\" c\\d").comment("").build();
        assertEquals("restrict,command=\"echo \\\"a\\\" \\\\\"b\\\\\" c\\d\" ssh-ed25519 " + BLOB, line.render());
        assertEquals(Optional.of("echo \"a\" \\\"b\\\" c\\d"), AuthorizedKeyLine.parse(line.render()).value(OptionKind.COMMAND));
    }

    @Test
    void strengtheningOptionsAreWrittenAfterRestrict() {
        AuthorizedKeyLine line = base().option(KeyOption.flag("no-pty")).option(KeyOption.flag("verify-required"))
                .option(KeyOption.flag("cert-authority")).option(KeyOption.valued("principals", "alice,bob")).command("x").comment("").build();
        assertEquals("restrict,no-pty,verify-required,cert-authority,principals=\"alice,bob\",command=\"x\" ssh-ed25519 " + BLOB,
                line.render());
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(base().command("echo a\nssh-ed25519 " + BLOB), "command=\"echo a\\nssh-ed25519"),
                Arguments.of(base().command("echo a\r"), "holds a carriage return"),
                Arguments.of(base().command("echo a\0b"), "holds a NUL byte"),
                Arguments.of(base().command("echo a\u001bb"), "holds the control character \\x1b"),
                Arguments.of(base().command("echo a\\"), "command=\"echo a\\\" ends in a backslash"),
                Arguments.of(base().command(""), "command= is empty"),
                Arguments.of(base().option(KeyOption.valued("environment", "LD_PRELOAD=/tmp/x.so")), "environment=\"LD_PRELOAD=/tmp/x.so\" is never written"),
                Arguments.of(base().option(KeyOption.flag("pty")), "option \"pty\" re-enables what restrict turns off"),
                Arguments.of(base().option(KeyOption.flag("port-forwarding")), "option \"port-forwarding\" re-enables"),
                Arguments.of(base().option(KeyOption.flag("agent-forwarding")), "option \"agent-forwarding\" re-enables"),
                Arguments.of(base().option(KeyOption.flag("X11-forwarding")), "option \"X11-forwarding\" re-enables"),
                Arguments.of(base().option(KeyOption.flag("user-rc")), "option \"user-rc\" re-enables"),
                Arguments.of(base().option(KeyOption.valued("permitopen", "localhost:80")), "option \"permitopen=\"localhost:80\"\" re-enables forwarding"),
                Arguments.of(base().option(KeyOption.valued("permitlisten", "8080")), "option \"permitlisten=\"8080\"\" re-enables forwarding"),
                Arguments.of(base().option(KeyOption.flag("no-touch-required")), "no-touch-required drops the security key's touch check"),
                Arguments.of(base().option(KeyOption.valued("principals", "a")), "principals= only acts together with cert-authority"),
                Arguments.of(base().option(KeyOption.flag("no-ptty")), "unknown option \"no-ptty\""),
                Arguments.of(base().option(KeyOption.valued("command", "x")), "option \"command\" has its own setting"),
                Arguments.of(base().from(List.of("10.0.0.1/8")), "from= entry \"10.0.0.1/8\" has host bits set: sshd refuses the line"),
                Arguments.of(base().from(List.of("10.0.0.0/33")), "from= entry \"10.0.0.0/33\" has mask /33 beyond 32 bits: sshd refuses the line"),
                Arguments.of(base().from(List.of("10.0.0.0/200")), "from= entry \"10.0.0.0/200\" has mask /200 beyond 128 bits:"
                        + " OpenSSH 9.2 compares it as a wildcard and it never matches; 10.0 refuses the line"),
                Arguments.of(base().from(List.of("::1/129")), "from= entry \"::1/129\" has mask /129 beyond 128 bits"),
                Arguments.of(base().from(List.of("10.0.0.0/+8")), "from= entry \"10.0.0.0/+8\" has mask \"/+8\": OpenSSH 9.2"
                        + " compares it as a wildcard and it never matches; 10.0 reads it as /8"),
                Arguments.of(base().from(List.of("10.0.0.0/2147483648")), "from= entry \"10.0.0.0/2147483648\" has an unreadable mask"),
                Arguments.of(base().from(List.of("10.0.0.0/8x")), "from= entry \"10.0.0.0/8x\" has an unreadable mask"),
                Arguments.of(base().from(List.of("127.0.0.1", "")), "from= entry \"\" is empty: sshd refuses the line"),
                Arguments.of(base().from(List.of("!")), "from= entry \"!\" is empty"),
                Arguments.of(base().from(List.of()), "from= list is empty"),
                Arguments.of(base().from(List.of("!10.0.0.0/8", "!127.0.0.1")), "from= list [!10.0.0.0/8, !127.0.0.1] has only negations: sshd never matches it"),
                Arguments.of(base().from(List.of("build.example.net")), "from= entry \"build.example.net\" is a host name"),
                Arguments.of(base().from(List.of("10.0.0.1 ")), "from= entry \"10.0.0.1 \" is neither"),
                Arguments.of(base().from(List.of("10.0.0.1\"")), "from= entry \"10.0.0.1\"\" is neither"),
                Arguments.of(base().expiry(Instant.parse("1969-12-31T00:00:00Z")), "expiry-time 1969-12-31T00:00:00Z is outside"),
                Arguments.of(base().comment(" lead"), "comment \" lead\" starts with a space"),
                Arguments.of(base().comment("a\nb"), "comment\"a\\nb\" holds a line break"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusesWhatSshdWouldMisreadOrWhatWeakensTheLine(DelegationLine.Builder builder, String message) {
        UnsafeLineException e = assertThrows(UnsafeLineException.class, builder::build);
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void hostNamesOnlyWithTheFlag() {
        AuthorizedKeyLine line = base().from(List.of("build.example.net", "10.0.0.0/8")).allowHostNamesInFrom(true).build();
        assertEquals(Optional.of("build.example.net,10.0.0.0/8"), line.value(OptionKind.FROM));
    }

    @Test
    void wildcardsAndNegationsOfAddressesAreAccepted() {
        AuthorizedKeyLine line = base().from(List.of("192.0.2.*", "!192.0.2.7", "2001:db8::/32")).build();
        assertEquals(Optional.of("192.0.2.*,!192.0.2.7,2001:db8::/32"), line.value(OptionKind.FROM));
    }

    @Test
    void refusesPublicKeysThatAreNotBareKeys() {
        assertThrows(UnsafeLineException.class, () -> DelegationLine.builder().publicKey("restrict " + PUB));
        assertThrows(UnsafeLineException.class, () -> DelegationLine.builder().publicKey(PUB + "\n" + PUB));
        UnsafeLineException e = assertThrows(UnsafeLineException.class,
                () -> DelegationLine.builder().publicKey(KeyFixtures.of(KeyType.ED25519_CERT).line()));
        assertTrue(e.getMessage().contains("public key is a certificate"), e.getMessage());
        e = assertThrows(UnsafeLineException.class, () -> DelegationLine.builder().publicKey("not a key"));
        assertTrue(e.getMessage().startsWith("public key is not a key line: column 1: unknown key type \"not\""), e.getMessage());
    }

    @Test
    void everyPlainKeyTypeCanBeDelegated() {
        for (KeyType t : KeyType.values()) {
            if (t.certificate()) {
                continue;
            }
            AuthorizedKeyLine line = DelegationLine.builder().publicKey(KeyFixtures.of(t).line()).command("true").build();
            assertEquals(t, line.type());
            assertEquals(KeyFixtures.of(t).fingerprint(), line.fingerprint());
        }
    }
}
