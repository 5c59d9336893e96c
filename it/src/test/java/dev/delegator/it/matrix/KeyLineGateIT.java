package dev.delegator.it.matrix;

import static dev.delegator.it.matrix.RestrictedDelegate.MARKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Who gets in at all: {@code from=} and {@code expiry-time=} on the line, the account's shadow
 * field, and why a second copy of a key in the files sshd reads must be refused by the writer
 * (fail closed). Each denial is paired with a login that works a moment earlier with the same key,
 * so the denial cannot come from anything but the one thing the test changed.
 */
@DisplayName("which logins a delegate's key line lets in")
class KeyLineGateIT {
    private static RestrictedDelegate delegate;

    @BeforeAll
    static void start() {
        delegate = RestrictedDelegate.start("dlgg");
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

    private String name() {
        return delegate.user().name();
    }

    private void assertForcedCommandRuns() {
        CommandResult r = delegate.ssh().run("hello");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith(MARKER + " user=" + name() + " original=hello "), r::toString);
    }

    private static void assertDenied(CommandResult r) {
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("Permission denied (publickey)"), r::toString);
        assertFalse(r.stdout().contains(MARKER), r::toString);
    }

    private String forced() {
        return "command=\"" + delegate.forcedCommand() + "\"";
    }

    @Test
    @DisplayName("from=\"127.0.0.1\": the same key from 127.0.0.2 is denied")
    void otherSourceAddressDenied() {
        assertForcedCommandRuns();
        int mark = delegate.logMark();
        assertDenied(delegate.ssh().with("-b", "127.0.0.2").run("hello"));
        assertTrue(delegate.logSince(mark).contains(delegate.authorizedKeys() + ":1: Authentication tried for " + name()
                + " with correct key but not from a permitted host (host=127.0.0.2, ip=127.0.0.2, required=127.0.0.1)."),
                () -> delegate.logSince(mark));
    }

    @Test
    @DisplayName("expiry-time in the past denies the login; in the future it allows it (lines from the product's renderer)")
    void expiredLineDenied() {
        delegate.authorize(expiringLine(java.time.Instant.now().plus(java.time.Duration.ofDays(1))));
        assertForcedCommandRuns();
        delegate.authorize(expiringLine(java.time.Instant.now().minus(java.time.Duration.ofMinutes(1))));
        int mark = delegate.logMark();
        assertDenied(delegate.ssh().run("hello"));
        String log = delegate.logSince(mark);
        assertTrue(log.contains(delegate.authorizedKeys() + ":1: entry expired at "), log);
    }

    /** The product's delegation line ({@code DelegationLine}) with an expiry-time. */
    private static String expiringLine(java.time.Instant expiry) {
        return dev.delegator.authorizedkeys.DelegationLine.builder().publicKey(delegate.publicKey())
                .command(delegate.forcedCommand().toString()).from(java.util.List.of("127.0.0.1")).expiry(expiry).build().render();
    }

    @Test
    @DisplayName("a later unrestricted copy of the same key logs in unrestricted once the restricted line does not apply (why duplicates must fail closed)")
    void laterUnrestrictedCopyWins() {
        // while the restricted line applies, sshd takes the first match: forced command
        delegate.authorize(delegate.restrictedLine(), delegate.line(""));
        assertForcedCommandRuns();

        // once it expires (or from= no longer matches), sshd skips it and reads on: a full shell
        delegate.authorize(delegate.line("restrict,from=\"127.0.0.1\"," + forced() + ",expiry-time=\"20200101Z\""),
                delegate.line(""));
        int mark = delegate.logMark();
        CommandResult r = delegate.ssh().run("id -un; echo not-the-forced-command");
        assertEquals(0, r.exitCode(), r::toString);
        assertEquals(name() + "\nnot-the-forced-command\n", r.stdout(), r::toString);
        String log = delegate.logSince(mark);
        assertTrue(log.contains(delegate.authorizedKeys() + ":1: entry expired at "), log);
        assertTrue(log.contains("found at " + delegate.authorizedKeys() + ":2"), log);

        // and the same from a source address the first line does not allow
        delegate.authorize(delegate.restrictedLine(), delegate.line(""));
        CommandResult other = delegate.ssh().with("-b", "127.0.0.2").run("echo not-the-forced-command");
        assertEquals(0, other.exitCode(), other::toString);
        assertEquals("not-the-forced-command\n", other.stdout(), other::toString);
    }

    @Test
    @DisplayName("a locked account ('!' in shadow) is refused with UsePAM no, while '*' (no password, not locked) works")
    void lockedAccountRefused() {
        assertEquals("*", delegate.shadowPassword(), "testkit's accounts start with '*'");
        assertForcedCommandRuns();
        try {
            // what plain useradd writes
            delegate.setShadowPassword("!");
            int mark = delegate.logMark();
            assertDenied(delegate.ssh().run("hello"));
            String log = delegate.logSince(mark);
            assertTrue(log.contains("User " + name() + " not allowed because account is locked"), log);
        } finally {
            delegate.setShadowPassword("*");
        }
        assertForcedCommandRuns();
    }
}
