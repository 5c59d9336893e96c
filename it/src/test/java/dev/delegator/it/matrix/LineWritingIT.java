package dev.delegator.it.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.authorizedkeys.UnsafeLineException;
import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.testkit.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SECURITY.md "Writing lines", through the product's writer ({@code delegator authorized-keys line}
 * and {@link DelegationLine}), its lint, and a real sshd. The grammar itself is tested in depth
 * against sshd by authorized-keys-gen's {@code SshdDifferentialTest} and its parser tests; these
 * are the promises end to end.
 */
@DisplayName("security matrix: writing authorized_keys lines")
class LineWritingIT {
    private static RestrictedDelegate delegate;
    private static Path pub;

    @BeforeAll
    static void start() throws IOException {
        DelegatorCli.jar();
        delegate = RestrictedDelegate.start("lines");
        pub = delegate.root().resolve("caller/id_ed25519.pub");
        Files.writeString(pub, delegate.publicKey() + " caller@it\n");
    }

    @AfterAll
    static void stop() {
        if (delegate != null) {
            delegate.close();
        }
    }

    @Test
    @DisplayName("a command with \" and \\ runs exactly as given: sshd's output equals sh -c of the same command")
    void quotesAndBackslashesRunAsGiven() {
        String command = "printf '[%s]' \"say \\\"hi\\\"\" 'back\\slash' \"two\\\\\\\\\" 'end\\\"q'; echo";
        CommandResult direct = delegate.runAsDelegate(command);
        assertEquals(0, direct.exitCode(), direct::toString);
        CommandResult line = DelegatorCli.run("authorized-keys", "line", "--key", pub.toString(), "--from", "127.0.0.1", "--command", command);
        assertEquals(0, line.exitCode(), line::toString);
        delegate.authorize(line.stdout().trim());

        CommandResult viaSshd = delegate.ssh().run("anything");

        assertEquals(0, viaSshd.exitCode(), viaSshd::toString);
        assertEquals(direct.stdout(), viaSshd.stdout());
        assertEquals("[say \"hi\"][back\\slash][two\\\\][end\\\"q]\n", viaSshd.stdout());
    }

    static Stream<Arguments> unsafeValues() {
        return Stream.of(
                Arguments.of("ending in a backslash", "/usr/lib/delegator/dispatch blog\\", "ends in a backslash"),
                Arguments.of("holding a newline", "/usr/lib/delegator/dispatch blog\nssh-ed25519", "line break"),
                Arguments.of("holding a carriage return", "/usr/lib/delegator/dispatch blog\rx", "carriage return"));
    }

    @ParameterizedTest(name = "a command= value {0} is refused by the writer (exit 2, nothing printed)")
    @MethodSource("unsafeValues")
    @DisplayName("unsafe values refused")
    void unsafeValueRefused(String what, String command, String reason) {
        CommandResult r = DelegatorCli.run("authorized-keys", "line", "--key", pub.toString(), "--command", command);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), r::toString);
        assertTrue(r.stderr().toLowerCase(java.util.Locale.ROOT).contains(reason), r::toString);
    }

    @Test
    @DisplayName("a command= value holding NUL is refused by the writer (argv cannot carry NUL: the library API)")
    void nulRefused() {
        UnsafeLineException e = assertThrows(UnsafeLineException.class, () -> DelegationLine.builder()
                .publicKey(delegate.publicKey()).command("/usr/lib/delegator/dispatch blog\0x").build());
        assertTrue(e.getMessage().contains("NUL") || e.getMessage().contains("control character"), e.getMessage());
    }

    @Test
    @DisplayName("a typo'd option (no-ptty) is refused by the writer; in a file, lint reports it and sshd skips the line")
    void typoedOption() throws IOException {
        CommandResult r = DelegatorCli.run("authorized-keys", "line", "--key", pub.toString(), "--option", "no-ptty");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("unknown option \"no-ptty\""), r::toString);

        delegate.authorize("restrict,no-ptty,command=\"" + delegate.forcedCommand() + "\" " + delegate.publicKey());
        CommandResult lint = DelegatorCli.run("authorized-keys", "lint", delegate.authorizedKeys().toString());
        assertEquals(1, lint.exitCode(), lint::toString);
        assertTrue(lint.stdout().contains(delegate.authorizedKeys() + ":1:10: unknown option \"no-ptty\": sshd skips this line"), lint::toString);
        CommandResult login = delegate.ssh().run("hello");
        assertEquals(255, login.exitCode(), login::toString);
        assertTrue(login.stderr().contains("Permission denied (publickey)"), login::toString);
    }

    @Test
    @DisplayName("a trailing comma is refused by the writer; in a file, lint points at it")
    void trailingComma() {
        CommandResult r = DelegatorCli.run("authorized-keys", "line", "--key", pub.toString(), "--option", "no-pty,");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), r::toString);

        delegate.authorize("restrict,command=\"" + delegate.forcedCommand() + "\", " + delegate.publicKey());
        CommandResult lint = DelegatorCli.run("authorized-keys", "lint", delegate.authorizedKeys().toString());
        assertEquals(1, lint.exitCode(), lint::toString);
        assertTrue(lint.stdout().contains(delegate.authorizedKeys() + ":1:"), lint::toString);
        assertTrue(lint.stdout().toLowerCase(java.util.Locale.ROOT).contains("comma"), lint::toString);
    }

    @Test
    @DisplayName("host names in from= are not written (refused without --allow-hostnames)")
    void hostNamesNotWritten() {
        CommandResult r = DelegatorCli.run("authorized-keys", "line", "--key", pub.toString(), "--from", "127.0.0.1,build1.example.org");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.stdout().isEmpty(), r::toString);
        assertTrue(r.stderr().contains("build1.example.org"), r::toString);
    }

    @Test
    @DisplayName("bad from= masks and empty entries are refused by the writer")
    void badFromRefusedByWriter() {
        for (String from : List.of("10.0.0.1/8", "127.0.0.0/33", "127.0.0.1,,127.0.0.2")) {
            CommandResult r = DelegatorCli.run("authorized-keys", "line", "--key", pub.toString(), "--from", from);
            assertEquals(2, r.exitCode(), () -> from + ": " + r);
            assertTrue(r.stdout().isEmpty(), r::toString);
        }
    }
}
