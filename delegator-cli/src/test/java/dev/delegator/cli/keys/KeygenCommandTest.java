package dev.delegator.cli.keys;

import static dev.delegator.cli.CommandUnderTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.cli.CommandUnderTest.Run;
import dev.delegator.cli.ExitCodes;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code delegator keygen} through the real command line, checked against ssh-keygen. */
class KeygenCommandTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needSshKeygen() {
        dev.delegator.testkit.Prerequisites.requireCommand("ssh-keygen");
    }

    static String sshKeygen(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh-keygen"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--out K",
        "--type ed25519 --out K --comment deploy@blog",
        "--type ecdsa --out K",
        "--type ecdsa --bits 384 --out K",
        "--type ECDSA --bits 521 --out K",
        "--type rsa --out K --comment two words",
    })
    void writesAKeySshKeygenReadsAndPrintsSshKeygensFingerprintLine(String argLine) throws Exception {
        Path key = dir.resolve("id_key");
        List<String> args = new ArrayList<>(List.of("keygen"));
        String[] words = argLine.split(" ");
        for (int i = 0; i < words.length; i++) {
            if (words[i].equals("--comment")) {
                args.add("--comment");
                args.add(String.join(" ", List.of(words).subList(i + 1, words.length)));
                break;
            }
            args.add(words[i].equals("K") ? key.toString() : words[i]);
        }
        Run r = run(args.toArray(String[]::new));
        assertEquals("", r.err());
        assertEquals(ExitCodes.OK, r.status());
        assertEquals(sshKeygen("-l", "-f", key.toString()), r.out());
        assertEquals(sshKeygen("-y", "-f", key.toString()), Files.readString(dir.resolve("id_key.pub")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("id_key.pub"))));
        assertEquals(List.of("id_key", "id_key.pub"), files());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--type rsa --bits 1024 | delegator: keygen: rsa keys need at least 3072 bits, not 1024",
        "--type rsa --bits 2048 | delegator: keygen: rsa keys need at least 3072 bits, not 2048",
        "--type ecdsa --bits 300 | delegator: keygen: ecdsa keys are 256, 384 or 521 bits, not 300",
        "--type dsa | delegator: keygen: unknown key type 'dsa': use one of ed25519, ecdsa, rsa",
    })
    void badArgumentsGiveOneLineExitTwoAndWriteNothing(String argLine, String message) throws Exception {
        List<String> args = new ArrayList<>(List.of("keygen", "--out", dir.resolve("id").toString()));
        args.addAll(List.of(argLine.split(" ")));
        Run r = run(args.toArray(String[]::new));
        assertEquals(message + "\n", r.err());
        assertEquals("", r.out());
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals(List.of(), files());
    }

    @Test
    void aCommentWithANewlineIsRefused() throws Exception {
        Run r = run("keygen", "--out", dir.resolve("id").toString(), "--comment", "x\nrestrict");
        assertEquals("delegator: keygen: --comment: key comment must not contain a line break or NUL: x\\nrestrict\n", r.err());
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals(List.of(), files());
    }

    @Test
    void aMissingDirectoryIsNamed() throws Exception {
        Path key = dir.resolve("no/such/dir/id");
        Run r = run("keygen", "--out", key.toString());
        assertEquals("delegator: keygen: --out: directory " + key.getParent() + " does not exist (needed for " + key + ")\n", r.err());
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals(List.of(), files());
    }

    @Test
    void missingOutIsAUsageError() {
        Run r = run("keygen");
        assertEquals(ExitCodes.USAGE, r.status());
        assertTrue(r.err().startsWith("Missing required option: '--out=PATH'"), r.err());
    }

    @Test
    void anExistingKeyIsKeptUnlessForced() throws Exception {
        Path key = dir.resolve("id");
        assertEquals(ExitCodes.OK, run("keygen", "--out", key.toString()).status());
        byte[] before = Files.readAllBytes(key);
        byte[] pubBefore = Files.readAllBytes(dir.resolve("id.pub"));

        Run r = run("keygen", "--out", key.toString(), "--type", "rsa");
        assertEquals("delegator: keygen: " + key + " already exists; not overwriting it (use --force to replace the key pair)\n", r.err());
        assertEquals(ExitCodes.REFUSED, r.status());
        assertArrayEquals(before, Files.readAllBytes(key));
        assertArrayEquals(pubBefore, Files.readAllBytes(dir.resolve("id.pub")));

        Run forced = run("keygen", "--out", key.toString(), "--force");
        assertEquals(ExitCodes.OK, forced.status());
        assertNotEquals(new String(before, StandardCharsets.US_ASCII), Files.readString(key));
        assertEquals(sshKeygen("-l", "-f", key.toString()), forced.out());
    }

    @Test
    void anUnwritableDirectoryIsAOneLineError() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path key = ro.resolve("id");
        // a file where the directory should be: fails for root too, unlike a mode-0555 directory
        Path notADir = dir.resolve("file");
        Files.writeString(notADir, "x");
        Run r = run("keygen", "--out", notADir.resolve("id").toString());
        assertEquals("delegator: keygen: --out: directory " + notADir + " does not exist (needed for " + notADir.resolve("id") + ")\n", r.err());
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals(false, Files.exists(key));
    }

    @Test
    void jsonGivesTheSameAsData() throws Exception {
        Path key = dir.resolve("id");
        Run r = run("keygen", "--out", key.toString(), "--comment", "say \"hi\"\\", "--json");
        assertEquals(ExitCodes.OK, r.status(), r.err());
        String fp = sshKeygen("-l", "-f", key.toString()).split(" ")[1];
        String pubLine = Files.readString(dir.resolve("id.pub")).strip();
        assertEquals("{\"private_key\":\"" + key + "\",\"public_key\":\"" + key + ".pub\",\"type\":\"ed25519\",\"bits\":256,"
                + "\"fingerprint\":\"" + fp + "\",\"comment\":\"say \\\"hi\\\"\\\\\",\"public_key_line\":\""
                + pubLine.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n", r.out());
    }

    @Test
    void helpListsTheExitCodes() {
        Run r = run("keygen", "--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("5   PATH or PATH.pub exists and --force was not given; nothing written"), r.out());
    }
}
