package dev.delegator.cli.authorizedkeys;

import static dev.delegator.cli.CommandUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.authorizedkeys.AuthorizedKeyLine;
import dev.delegator.authorizedkeys.ExpiryTime;
import dev.delegator.authorizedkeys.OptionKind;
import dev.delegator.cli.CommandUnderTest.Run;
import dev.delegator.cli.ExitCodes;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code delegator authorized-keys line|lint} through the real command line: output, errors, exit codes. */
class AuthorizedKeysCommandsTest {
    @TempDir
    static Path dir;

    static Path pubFile;
    static String pub;

    @BeforeAll
    static void key() throws IOException, InterruptedException {
        Prerequisites.requireCommand("ssh-keygen");
        Path key = dir.resolve("id_ed25519");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "caller@hg", "-f", key.toString())
                .redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        pubFile = Path.of(key + ".pub");
        pub = Files.readString(pubFile).strip();
    }

    @Test
    void linePrintsOneRestrictedLine() {
        Run r = run("authorized-keys", "line", "--key", pubFile.toString(), "--command", "/usr/lib/delegator/dispatch \"blog\"",
                "--from", "127.0.0.1,::1", "--expires", "2027-01-31", "--option", "no-pty");
        assertEquals(ExitCodes.OK, r.status(), r.err());
        assertEquals("", r.err());
        String blob = pub.split(" ")[1];
        assertEquals("restrict,no-pty,from=\"127.0.0.1,::1\",expiry-time=\"20270131000000Z\","
                + "command=\"/usr/lib/delegator/dispatch \\\"blog\\\"\" ssh-ed25519 " + blob + " caller@hg\n", r.out());
        AuthorizedKeyLine parsed = AuthorizedKeyLine.parse(r.out().strip());
        assertEquals(Optional.of("/usr/lib/delegator/dispatch \"blog\""), parsed.value(OptionKind.COMMAND));
    }

    @Test
    void lineWithoutOptionsIsStillRestricted() {
        Run r = run("authorized-keys", "line", "--key", pubFile.toString(), "--comment", "delegator:blog");
        assertEquals(ExitCodes.OK, r.status(), r.err());
        assertEquals("restrict ssh-ed25519 " + pub.split(" ")[1] + " delegator:blog\n", r.out());
    }

    @Test
    void expiresAcceptsADuration() {
        Instant before = Instant.now();
        Run r = run("authorized-keys", "line", "--key", pubFile.toString(), "--expires", "30d");
        assertEquals(ExitCodes.OK, r.status(), r.err());
        String value = AuthorizedKeyLine.parse(r.out().strip()).value(OptionKind.EXPIRY_TIME).orElseThrow();
        Instant at = ExpiryTime.parse(value).orElseThrow().instant(ZoneOffset.UTC);
        Instant want = before.plus(Duration.ofDays(30));
        assertTrue(!at.isBefore(want.minusSeconds(2)) && !at.isAfter(want.plusSeconds(60)), value);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--command|echo a\\|delegator: command=\"echo a\\\" ends in a backslash: sshd would read its closing quote as an escaped quote",
        "--from|10.0.0.1/8|delegator: from= entry \"10.0.0.1/8\" has host bits set: sshd refuses the line",
        "--from|127.0.0.1,|delegator: from= entry \"\" is empty: sshd refuses the line",
        "--from|build.example.net|delegator: from= entry \"build.example.net\" is a host name: it only matches with UseDNS yes (default no); write addresses, or allow host names explicitly",
        "--option|pty|delegator: option \"pty\" re-enables what restrict turns off",
        "--option|no-touch-required|delegator: no-touch-required drops the security key's touch check",
        "--option|environment=A=b|delegator: environment=\"A=b\" is never written: with PermitUserEnvironment it opens LD_PRELOAD-style escapes",
        "--option|principals=alice|delegator: principals= only acts together with cert-authority",
        "--option|no-ptty|delegator: unknown option \"no-ptty\": sshd would skip the line",
        "--expires|next tuesday|delegator: expiry \"next tuesday\" is neither a date (2027-01-31), a UTC date-time (2027-01-31T12:00) nor a duration (30d, 12h)",
    })
    void badArgumentsGiveOneLineAndUsageStatusAndNothingOnStdout(String option, String value, String message) {
        Run r = run("authorized-keys", "line", "--key", pubFile.toString(), option, value);
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals("", r.out());
        assertEquals(message + "\n", r.err());
    }

    @Test
    void commandWithANewlineIsRefused() {
        Run r = run("authorized-keys", "line", "--key", pubFile.toString(), "--command", "true\n" + pub);
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("delegator: command=\"true\\nssh-ed25519 ") && r.err().endsWith("holds a line break (sshd would read the rest as a new line) at position 5\n"),
                r.err());
    }

    @Test
    void unreadableOrInvalidKeyFileIsInvalidInput() throws IOException {
        Run missing = run("authorized-keys", "line", "--key", dir.resolve("nope.pub").toString());
        assertEquals(ExitCodes.INVALID_INPUT, missing.status());
        assertEquals("", missing.out());
        assertTrue(missing.err().startsWith("delegator: cannot read public key " + dir.resolve("nope.pub")), missing.err());
        Path bad = Files.writeString(dir.resolve("bad.pub"), "ssh-ed25519 AAAAnotbase64!\n");
        Run invalid = run("authorized-keys", "line", "--key", bad.toString());
        assertEquals(ExitCodes.INVALID_INPUT, invalid.status());
        assertEquals("delegator: " + bad + ": public key is not a key line: column 13: key data is not valid base64: sshd skips this line\n",
                invalid.err());
    }

    @Test
    void missingKeyOptionIsUsage() {
        Run r = run("authorized-keys", "line");
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Missing required option: '--key=PUBFILE'"), r.err());
    }

    @Test
    void lintCleanFileExitsZeroAndPrintsNothing() throws IOException {
        try (TestRoot root = TestRoot.create("engine-cli")) {
            Path ak = root.resolve("ak");
            Files.writeString(ak, "# ok\nrestrict,from=\"127.0.0.1\",command=\"x\" " + pub + "\n");
            Files.setPosixFilePermissions(ak, PosixFilePermissions.fromString("rw-r--r--"));
            Run r = run("authorized-keys", "lint", ak.toString());
            assertEquals(ExitCodes.OK, r.status(), r.out() + r.err());
            assertEquals("", r.out());
            assertEquals("", r.err());
        }
    }

    @Test
    void lintReportsEveryProblemAndExitsProblemsFound() throws IOException {
        Prerequisites.requireRoot();
        try (TestRoot root = TestRoot.create("engine-cli")) {
            Path ak = root.resolve("authorized_keys");
            Path ak2 = root.resolve("authorized_keys2");
            Files.writeString(ak, "restrict,no-ptty " + pub + "\n" + pub + "\nrestrict,from=\"10.0.0.1/8\" " + pub + "\n");
            Files.writeString(ak2, "restrict,command=\"x\" " + pub + "\n");
            Files.setPosixFilePermissions(ak, PosixFilePermissions.fromString("rw-rw-r--"));
            Files.setPosixFilePermissions(ak2, PosixFilePermissions.fromString("rw-r--r--"));
            Run r = run("authorized-keys", "lint", ak.toString(), ak2.toString());
            assertEquals(ExitCodes.PROBLEMS_FOUND, r.status(), r.err());
            String fp = AuthorizedKeyLine.parse(pub).fingerprint();
            assertEquals(String.join("\n",
                    ak + ": group-writable: StrictModes refuses the file",
                    ak + ":1:10: unknown option \"no-ptty\": sshd skips this line",
                    ak + ":2:1: no restrict: forwarding allowed (port, agent, X11; pty too)",
                    ak + ":3:10: from= entry \"10.0.0.1/8\" has host bits set: sshd refuses the line",
                    ak + ":3:28: duplicate of line 2 (same key " + fp + "): sshd uses the first",
                    ak2 + ":1:22: duplicate of " + ak + ":2 (same key " + fp + "): sshd uses the first") + "\n", r.out());
            assertEquals("", r.err());

            Run json = run("authorized-keys", "lint", "--json", ak2.toString());
            assertEquals(ExitCodes.OK, json.status(), json.out());
            assertEquals("{\"problems\":[],\"unreadable\":[]}\n", json.out());
            Run json2 = run("authorized-keys", "lint", "--json", ak.toString());
            assertEquals(ExitCodes.PROBLEMS_FOUND, json2.status());
            assertTrue(json2.out().startsWith("{\"problems\":[{\"file\":\"" + ak + "\",\"line\":null,\"column\":null,\"kind\":\"group-writable\""),
                    json2.out());
            assertTrue(json2.out().contains("{\"file\":\"" + ak + "\",\"line\":1,\"column\":10,\"kind\":\"syntax\",\"problem\":\"unknown option \\\"no-ptty\\\"\",\"consequence\":\"sshd skips this line\"}"),
                    json2.out());
        }
    }

    @Test
    void lintOfAnUnreadableFileIsInvalidInput() {
        Run r = run("authorized-keys", "lint", dir.resolve("missing").toString());
        assertEquals(ExitCodes.INVALID_INPUT, r.status());
        assertEquals("", r.out());
        assertEquals("delegator: " + dir.resolve("missing") + ": cannot read: NoSuchFile " + dir.resolve("missing") + "\n", r.err());
    }

    @Test
    void lintWithoutFilesIsUsage() {
        Run r = run("authorized-keys", "lint");
        assertEquals(ExitCodes.USAGE, r.status());
        assertTrue(r.err().contains("Missing required parameter"), r.err());
    }
}
