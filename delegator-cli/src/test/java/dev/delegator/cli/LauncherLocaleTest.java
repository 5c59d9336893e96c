package dev.delegator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real launcher ({@code ./delegator} of the repository) under {@code env -i} and
 * {@code LC_ALL=C}: arguments, environment variables and file names arrive as the UTF-8 bytes they
 * are, or are refused with exit 2 and one line; never replaced. The launcher runs in its installed
 * form (a {@code delegator.jar} beside it, here one whose manifest points at this build's classes).
 */
class LauncherLocaleTest {
    private static TestRoot root;
    private static Path launcher;
    private static Path pub;
    private static Path accentedPub;

    @BeforeAll
    static void install() throws IOException {
        root = TestRoot.create("launcher");
        Path bin = Files.createDirectories(root.resolve("bin"));
        launcher = bin.resolve("delegator");
        Files.copy(Path.of("..", "delegator"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            cp.add(Path.of(e).toAbsolutePath().toUri().toString());
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", cp));
        try (OutputStream out = Files.newOutputStream(bin.resolve("delegator.jar")); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
        Path keys = Files.createDirectories(root.resolve("keys"));
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "k", "-f", keys.resolve("id").toString());
        pub = keys.resolve("id.pub");
        accentedPub = keys.resolve("clé.pub");
        Files.copy(pub, accentedPub);
    }

    @AfterAll
    static void remove() {
        if (root != null) {
            root.close();
        }
    }

    /** Runs {@code sh -c SCRIPT} with $1 = the launcher: SCRIPT builds the exact bytes with printf. */
    private static CommandResult sh(String script) {
        return ExternalCommand.run(List.of("/bin/sh", "-c", script, "sh", launcher.toString()), Map.of(), new byte[0], Duration.ofMinutes(2));
    }

    private static String quoted(Path p) {
        return "'" + p.toString().replace("'", "'\\''") + "'";
    }

    @Test
    void aNonAsciiCommandIsWrittenExactlyUnderAnEmptyEnvironmentAndTheCLocale() {
        for (String env : List.of("env -i", "env -i LC_ALL=C DELEGATOR_CDS=off", "env -i LANG=POSIX")) {
            CommandResult r = sh(env + " \"$1\" authorized-keys line --key " + quoted(pub) + " --from 127.0.0.1"
                    + " --command \"printf '%s\\n' 'é'\"");
            assertEquals(0, r.exitCode(), env + ": " + r);
            String want = "command=\"printf '%s\\n' 'é'\"";
            assertTrue(new String(r.stdoutBytes(), StandardCharsets.UTF_8).contains(want), env + ": " + r.stdout());
        }
    }

    @Test
    void aByteThatIsNotUtf8IsRefusedWithOneLineAndExit2() {
        CommandResult r = sh("env -i \"$1\" authorized-keys line --key " + quoted(pub) + " --from 127.0.0.1 --command \"$(printf 'a\\351b')\"");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("", r.stdout());
        assertEquals("delegator: argument 8 is not valid UTF-8 (byte 0xe9 at byte 2); nothing was done\n", r.stderr());
    }

    @Test
    void aFileNameWithNonAsciiCharactersIsOpenedAsItIs() {
        CommandResult r = sh("env -i \"$1\" authorized-keys line --key " + quoted(accentedPub) + " --from 127.0.0.1 --command true");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("restrict,from=\"127.0.0.1\",command=\"true\" ssh-ed25519 "), r.stdout());
    }

    @Test
    void aUtf8LocaleThatIsNotInstalledRefusesNonAsciiInsteadOfChangingIt() {
        // the launcher keeps a locale that names UTF-8; glibc falls back to ASCII when it is missing
        CommandResult r = sh("env -i LANG=xx_XX.UTF-8 \"$1\" authorized-keys line --key " + quoted(accentedPub)
                + " --from 127.0.0.1 --command true");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals(1, r.stderr().lines().count(), r.stderr());
        assertTrue(r.stderr().startsWith("delegator: argument 4 holds non-ASCII characters, which this JVM (locale charset ANSI_X3.4-1968)"
                + " cannot pass on exactly; run it with an installed UTF-8 locale (LC_ALL=C.UTF-8); nothing was done"), r.stderr());
    }

    @Test
    void anIdentityEnvValueThatIsNotUtf8IsRefusedNamingTheVariable() {
        CommandResult r = sh("env -i KEYVAR=\"$(printf 'x\\377')\" KH=x \"$1\" run --no-audit --host 127.0.0.1 --user nobody"
                + " --identity-env KEYVAR --known-hosts-env KH hello");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
        assertEquals("delegator: environment variable KEYVAR is not valid UTF-8; nothing was done\n", r.stderr());
    }
}
