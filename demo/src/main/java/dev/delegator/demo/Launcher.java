package dev.delegator.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The delegator command the caller's hook runs. The caller account cannot read the checkout the
 * demo was started from (often below /root), so the running CLI jar is copied into the run
 * directory (root 0644) with a small root-owned 0755 launcher script next to it.
 */
final class Launcher {
    private Launcher() {}

    /** The jar this JVM runs from. */
    static Path runningJar() {
        try {
            Path p = Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
                throw new DemoFailure("the demo must run from the delegator jar (./delegator demo), not from " + p);
            }
            return p;
        } catch (URISyntaxException | SecurityException e) {
            throw new DemoFailure("cannot tell which jar runs the demo: " + e.getMessage(), e);
        }
    }

    /** Copies the jar and writes the launcher; returns the launcher's path. */
    static Path install(DemoRun run) {
        Path jar = runningJar();
        try {
            Dirs.create(run.jar().getParent());
            Files.copy(jar, run.jar(), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(run.jar(), Dirs.FILE_0644);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + jar + " to " + run.jar(), e);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Dirs.write(run.launcher(), "#!/bin/sh\n"
                + "# delegator launcher of demo run " + run.id() + ": the CLI jar copied where the caller can read it\n"
                + "exec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar '" + run.jar() + "' \"$@\"\n", Dirs.FILE_0755);
        return run.launcher();
    }
}
