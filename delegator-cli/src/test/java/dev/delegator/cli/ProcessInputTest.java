package dev.delegator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The raw-bytes reading of argv and the environment, on given bytes (the launcher test runs the real process). */
class ProcessInputTest {
    private static byte[] nulJoined(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            out.writeBytes(e);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void argumentsAreTheLastEntriesOfCmdlineDecodedAsUtf8WhateverTheJvmMadeOfThem() {
        byte[] cmdline = nulJoined(utf8("java"), utf8("-cp"), utf8("x.jar"), utf8("dev.delegator.cli.DelegatorMain"),
                utf8("line"), utf8("--command"), utf8("printf 'é'"));
        // an ASCII JVM's reading: two U+FFFD for é
        String[] jvm = {"line", "--command", "printf '\uFFFD\uFFFD'"};
        assertArrayEquals(new String[] {"line", "--command", "printf 'é'"}, ProcessInput.arguments(jvm, cmdline, true));
    }

    @Test
    void aByteThatIsNotUtf8IsRefusedNamingTheArgumentAndTheByte() {
        byte[] cmdline = nulJoined(utf8("java"), utf8("Main"), utf8("line"), new byte[] {'a', (byte) 0xe9, 'b'});
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> ProcessInput.arguments(new String[] {"line", "a\uFFFDb"}, cmdline, true));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("argument 2 is not valid UTF-8 (byte 0xe9 at byte 2); nothing was done", e.getMessage());
    }

    @Test
    void aJvmThatIsNotUtf8RefusesNonAsciiEvenWhenItIsValidUtf8() {
        byte[] cmdline = nulJoined(utf8("java"), utf8("Main"), utf8("clé.pub"));
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> ProcessInput.arguments(new String[] {"cl\uFFFD\uFFFD.pub"}, cmdline, false));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals(true, e.getMessage().startsWith("argument 1 holds non-ASCII characters, which this JVM (locale charset "), e.getMessage());
        assertArrayEquals(new String[] {"plain"}, ProcessInput.arguments(new String[] {"plain"}, nulJoined(utf8("java"), utf8("plain")), false));
    }

    @Test
    void withoutAlignedCmdlineOnlyAsciiArgumentsAreTrusted() {
        assertArrayEquals(new String[] {"a", "b"}, ProcessInput.arguments(new String[] {"a", "b"}, null, true));
        assertThrows(UserFacingException.class, () -> ProcessInput.arguments(new String[] {"é"}, null, true));
        // cmdline whose tail is not these arguments: not used
        byte[] other = nulJoined(utf8("java"), utf8("x"), utf8("y"));
        assertArrayEquals(new String[] {"a", "b"}, ProcessInput.arguments(new String[] {"a", "b"}, other, true));
    }

    @Test
    void environmentValuesAreExactAndAMalformedOneIsRefusedOnlyWhenAskedFor() {
        byte[] environ = nulJoined(utf8("KEY=clé"), utf8("PATH=/bin"), new byte[] {'B', 'A', 'D', '=', (byte) 0xff},
                new byte[] {(byte) 0xfe, '=', 'x'}, utf8("EMPTY="), utf8("KEY=second"));
        Map<String, String> env = ProcessInput.environment(environ, true);
        assertEquals("clé", env.get("KEY"));
        assertEquals("/bin", env.get("PATH"));
        assertEquals("", env.get("EMPTY"));
        assertNull(env.get("UNSET"));
        assertEquals("fallback", env.getOrDefault("UNSET", "fallback"));
        UserFacingException e = assertThrows(UserFacingException.class, () -> env.get("BAD"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("environment variable BAD is not valid UTF-8; nothing was done", e.getMessage());
        UserFacingException ascii = assertThrows(UserFacingException.class, () -> ProcessInput.environment(environ, false).get("KEY"));
        assertEquals(true, ascii.getMessage().startsWith("environment variable KEY holds non-ASCII characters"), ascii.getMessage());
    }
}
