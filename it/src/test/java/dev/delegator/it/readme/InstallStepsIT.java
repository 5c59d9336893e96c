package dev.delegator.it.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.CliJar;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.testkit.CommandResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * README's "Installing on a real server", "Install from source", run as written on a clean Debian 12
 * or 13 host (a container with a JDK on PATH: Debian 13's own OpenJDK 21, or on Debian 12 the
 * mounted test JDK), so the install steps cannot drift from what works. Only the first
 * line, which builds the jar from a checkout, is replaced by the jar the build made; the checkout's
 * launcher is copied in.
 */
@NeedsContainerHost
@DisplayName("README: installing on a real server")
class InstallStepsIT {

    @Test
    @DisplayName("the install steps of README give a working /usr/bin/delegator, as hooks expect")
    void installStepsWork() throws IOException {
        List<String> steps = installSteps();
        assertTrue(steps.size() >= 3, "README's install block shrank: " + steps);
        assertEquals("./delegator --version", steps.get(0), "the block starts by building the jar");
        String script = String.join("\n", steps.subList(1, steps.size()))
                .replace("delegator-cli/target/delegator.jar", ContainerHost.CLI_JAR);

        try (ContainerHost host = ContainerHost.builder().withJava().withCliJar(CliJar.require()).start()) {
            host.shell("ln -s " + host.java() + " /usr/local/bin/java");
            // the steps run in the checkout: its launcher is the file "delegator" there
            host.shell("mkdir -p /opt/checkout");
            host.writeFile("/opt/checkout/delegator", Files.readString(checkout().resolve("delegator")), 0755);
            host.shell("set -e\ncd /opt/checkout\n" + script);
            assertEquals("root 644", host.shell("stat -c '%U %a' /usr/lib/delegator/delegator.jar").trim());
            assertEquals("root 755", host.shell("stat -L -c '%U %a' /usr/bin/delegator").trim());
            CommandResult version = host.exec("/usr/bin/delegator", "--version");
            assertEquals(0, version.exitCode(), version::toString);
            assertTrue(version.stdout().startsWith("delegator "), version.stdout());
            CommandResult help = host.exec("/usr/bin/delegator", "hook", "--help");
            assertEquals(0, help.exitCode(), help::toString);
            assertFalse(help.stdout().isBlank());
            // installed, the launcher neither builds nor writes beside the jar; the hook command above
            // trained the class-data archive, which a background job builds in the user's cache
            assertEquals("delegator delegator.jar", host.shell("ls /usr/lib/delegator | tr '\\n' ' '").trim());
            String archive = host.shell("for i in $(seq 1 600); do ls /root/.cache/delegator/*.jsa 2>/dev/null && break;"
                    + " sleep 0.1; done").trim();
            assertTrue(archive.endsWith(".jsa"), "no class-data archive in /root/.cache/delegator");
            CommandResult again = host.exec("/usr/bin/delegator", "hook", "--help");
            assertEquals(help.stdout(), again.stdout(), "the run that maps the archive prints the same");
        }
    }

    private static Path checkout() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("README.md")) || !Files.isDirectory(dir.resolve("it"))) {
            dir = dir.getParent();
        }
        return dir;
    }

    /** The shell lines of the first code block under "### Install from source" of "## Installing on a real server". */
    private static List<String> installSteps() throws IOException {
        List<String> lines = Files.readAllLines(checkout().resolve("README.md"));
        int server = lines.indexOf("## Installing on a real server");
        assertTrue(server >= 0, "README has no '## Installing on a real server' section");
        int section = lines.subList(server, lines.size()).indexOf("### Install from source") + server;
        assertTrue(section > server, "README's install section has no '### Install from source'");
        List<String> steps = new ArrayList<>();
        boolean inBlock = false;
        for (String line : lines.subList(section + 1, lines.size())) {
            String s = line.strip();
            if (s.startsWith("```")) {
                if (inBlock) {
                    break;
                }
                inBlock = true;
            } else if (inBlock && !s.isEmpty()) {
                steps.add(s);
            }
        }
        return steps;
    }
}
