package dev.delegator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.TestRoot;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * delegator run against the real dispatcher (deploy-scripts) as the forced command: the work runs
 * to its end when the caller has nothing on stdin, and --timeout ends it on the delegate's side.
 */
class RealDispatcherTest {
    static final String NODE = "89abcdef0123456789abcdef0123456789abcdef";

    static String dispatcher(TestRoot root) {
        try (InputStream in = RealDispatcherTest.class.getResourceAsStream("/dev/delegator/scripts/dispatch")) {
            assertNotNull(in, "the dispatcher script is not on the test classpath");
            Path dispatch = root.resolve("dispatch");
            Files.write(dispatch, in.readAllBytes());
            Path conf = root.resolve("conf");
            Files.createDirectories(conf);
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path deploy = script(root.resolve("deploy-verb"), "#!/bin/sh\necho \"deployed $1 as $(id -un)\"\n");
            Path hang = script(root.resolve("hang-verb"), "#!/bin/sh\nexec sleep 1000\n");
            Files.writeString(conf.resolve("blog.conf"), "format 1\ndelegation blog\nverb deploy " + deploy
                    + "\narg deploy [0-9a-f]{40}\nverb hang " + hang + "\n");
            Files.setPosixFilePermissions(conf.resolve("blog.conf"), PosixFilePermissions.fromString("rw-r--r--"));
            Files.setPosixFilePermissions(dispatch, PosixFilePermissions.fromString("rwxr-xr-x"));
            return "#!/bin/sh\nexec " + dispatch + " --conf-dir " + conf + " --log-socket " + root.resolve("no-syslog")
                    + " blog\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path script(Path p, String body) throws IOException {
        Files.writeString(p, body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void deployRunsToItsEndWithNothingOnStdinAndTimeoutEndsAHangingVerb() throws Exception {
        try (Delegates d = Delegates.start("blog", 1, RealDispatcherTest::dispatcher)) {
            List<String> a = new ArrayList<>(List.of("run"));
            a.addAll(d.layoutOptions());
            a.addAll(List.of("blog", "deploy", NODE));
            CommandResult ok = d.delegator(Map.of(), new byte[0], a.toArray(String[]::new));
            assertEquals(0, ok.exitCode(), ok.toString());
            assertEquals("deployed " + NODE + " as " + d.user.name() + "\n", ok.stdout());

            List<String> h = new ArrayList<>(List.of("run", "--timeout", "3s"));
            h.addAll(d.layoutOptions());
            h.addAll(List.of("blog", "hang"));
            CommandResult hung = d.delegator(Map.of(), new byte[0], h.toArray(String[]::new));
            assertEquals(124, hung.exitCode(), hung.toString());
            assertTrue(hung.stderr().startsWith("delegator: timed out after 3 s on 127.0.0.1:"), hung.stderr());
            String left = "";
            for (int i = 0; i < 100; i++) {
                CommandResult pgrep = ExternalCommand.run("pgrep", "-a", "-u", d.user.name());
                if (pgrep.exitCode() == 1) {
                    return;
                }
                left = pgrep.stdout();
                Thread.sleep(100);
            }
            throw new AssertionError("the delegate's processes outlived the timeout: " + left);
        }
    }
}
