package dev.delegator.it.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.BuiltPackages;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.testkit.CommandResult;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** README's tarball install on a clean host that is not set up for the package: unpack, run. */
@NeedsContainerHost
@DisplayName("README: install from the tarball")
class TarballIT {

    @Test
    @DisplayName("delegator-VERSION.tar.gz unpacked anywhere runs --version and run --help with a Java on PATH")
    void unpackedTarballRuns() {
        try (ContainerHost host = ContainerHost.builder().withJava().start()) {
            host.shell("ln -s " + host.java() + " /usr/local/bin/java");
            String tarball = "/root/" + BuiltPackages.tarball().getFileName();
            host.copyFile(BuiltPackages.tarball(), tarball, 0644);
            host.shell("mkdir -p /opt && tar -C /opt -xzf " + tarball);
            String launcher = "/opt/delegator-" + BuiltPackages.version() + "/lib/delegator/delegator";
            CommandResult version = host.exec(launcher, "--version");
            assertEquals(0, version.exitCode(), version::toString);
            assertTrue(version.stdout().startsWith("delegator " + BuiltPackages.version()), version.stdout());
            CommandResult help = host.exec(launcher, "run", "--help");
            assertEquals(0, help.exitCode(), help::toString);
            assertTrue(help.stdout().startsWith("Usage: delegator run "), help.stdout());
            // the launcher runs the jar beside it and writes nothing there
            assertEquals("delegator delegator.jar deploy dispatch",
                    host.shell("ls /opt/delegator-" + BuiltPackages.version() + "/lib/delegator | sort | tr '\\n' ' '").trim());
        }
    }
}
