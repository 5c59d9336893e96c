package dev.delegator.it.matrix;

import static dev.delegator.it.matrix.RestrictedDelegate.MARKER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SECURITY.md, "Files and accounts": the delegate cannot widen its own access. The file that
 * authorizes its key is root's (0644 in a root-owned 0755 directory outside its home), and sshd
 * reads only that file, so what the delegate writes into its own home changes nothing.
 */
@DisplayName("the file that authorizes a delegate's key")
class AuthorizingFileIT {
    private static RestrictedDelegate delegate;

    @BeforeAll
    static void start() {
        delegate = RestrictedDelegate.start("dlgf");
    }

    @AfterAll
    static void stop() {
        if (delegate != null) {
            delegate.close();
        }
    }

    @BeforeEach
    void restrictedLineOnly() {
        delegate.authorize(delegate.restrictedLine());
    }

    /** Attempts, as the delegate, to get its key out of the forced command; {@code F} is the file, {@code D} its directory. */
    static Stream<Arguments> attempts() {
        return Stream.of(
                Arguments.of("append an unrestricted line", "echo \"$KEY\" >> \"$F\""),
                Arguments.of("truncate it", ": > \"$F\""),
                Arguments.of("make it writable", "chmod 0666 \"$F\""),
                Arguments.of("take it over", "chown \"$(id -u)\" \"$F\""),
                Arguments.of("rename it away", "mv \"$F\" \"$F.old\""),
                Arguments.of("remove it", "rm -f \"$F\""),
                Arguments.of("replace it by a symlink", "ln -sf /dev/null \"$F\""),
                Arguments.of("replace it by rename", "printf '%s\\n' \"$KEY\" > \"$HOME/k\" && mv -f \"$HOME/k\" \"$F\""),
                Arguments.of("add a file beside it", "echo \"$KEY\" > \"$D/$(id -un).new\""),
                Arguments.of("rename its directory", "mv \"$D\" \"$D.old\""));
    }

    @ParameterizedTest(name = "(tried: {0})")
    @MethodSource("attempts")
    @DisplayName("the delegate cannot modify, rename or replace it")
    void delegateCannotChangeIt(String what, String script) throws IOException {
        Path file = delegate.authorizedKeys();
        byte[] before = Files.readAllBytes(file);
        CommandResult r = delegate.runAsDelegate("F='" + file + "' D='" + file.getParent() + "' KEY='"
                + delegate.line("") + "'; " + script);
        assertNotEquals(0, r.exitCode(), () -> what + " succeeded: " + r);
        assertTrue(r.stderr().contains("Permission denied") || r.stderr().contains("Operation not permitted"), r::toString);

        assertArrayEquals(before, Files.readAllBytes(file), "content unchanged");
        PosixFileAttributes attrs = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertTrue(attrs.isRegularFile());
        assertEquals("root", attrs.owner().getName());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(attrs.permissions()));
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            assertEquals(1, siblings.count(), "nothing added beside it");
        }
        CommandResult login = delegate.ssh().run("id");
        assertTrue(login.stdout().startsWith(MARKER + " user=" + delegate.user().name() + " original=id "), login::toString);
    }

    @Test
    @DisplayName("an unrestricted copy the delegate writes into its own ~/.ssh/authorized_keys(2) is never read")
    void ownHomeKeysIgnored() {
        String home = delegate.user().home().toString();
        CommandResult write = delegate.runAsDelegate("umask 077 && mkdir -p \"$HOME/.ssh\" && printf '%s\\n' '"
                + delegate.line("") + "' | tee \"$HOME/.ssh/authorized_keys\" > \"$HOME/.ssh/authorized_keys2\"");
        try {
            assertEquals(0, write.exitCode(), "the delegate may write its own home: " + write);
            // the root-owned line does not apply from 127.0.0.1, so sshd would go on to the home's
            // copies if it read them (as Debian's default AuthorizedKeysFile does) and let the key in
            delegate.authorize(delegate.line("restrict,from=\"127.0.0.2\",command=\"" + delegate.forcedCommand() + "\""));
            int mark = delegate.logMark();
            CommandResult r = delegate.ssh().run("id -un; echo not-the-forced-command");
            assertEquals(255, r.exitCode(), r::toString);
            assertTrue(r.stderr().contains("Permission denied (publickey)"), r::toString);
            String log = delegate.logSince(mark);
            assertTrue(log.contains("trying public key file " + delegate.authorizedKeys()), log);
            assertTrue(log.contains("but not from a permitted host"), log);
            assertFalse(log.contains(home + "/.ssh"), "sshd must not read the home's files: " + log);
        } finally {
            delegate.runAsDelegate("rm -rf \"$HOME/.ssh\"");
        }
    }
}
