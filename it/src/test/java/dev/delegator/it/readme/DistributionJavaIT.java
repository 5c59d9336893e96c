package dev.delegator.it.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.CliJar;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.testkit.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The installed jar and launcher (README "Installing on a real server") on the Java the release
 * ships: on Debian 13 its own OpenJDK 21 and 25, each picked with {@code DELEGATOR_JAVA}; on
 * Debian 12 (no Java in the image) the mounted test JDK. With each: {@code apply} provisions a
 * delegation on the host itself, the caller account's {@code run} and git {@code hook} reach the
 * delegate through the host's own sshd, and a second apply changes nothing.
 */
@NeedsContainerHost
@DisplayName("The installed delegator on the release's own Java")
class DistributionJavaIT {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    private static ContainerHost host;

    @BeforeAll
    static void install() throws Exception {
        host = ContainerHost.builder().withJava().withCliJar(CliJar.require()).start();
        host.shell("install -D -m 0644 " + ContainerHost.CLI_JAR + " /usr/lib/delegator/delegator.jar");
        host.writeFile("/usr/lib/delegator/delegator", Files.readString(checkout().resolve("delegator")), 0755);
        host.shell("ln -sf /usr/lib/delegator/delegator /usr/bin/delegator"
                + " && useradd --create-home --shell /bin/sh git"
                + " && printf '#!/bin/sh\\necho \"deployed $1 $2 as $(id -un) with $DELEGATOR_VERB\"\\n' >/usr/local/bin/site-deploy"
                + " && chmod 0755 /usr/local/bin/site-deploy && install -d -m 0755 /etc/delegator");
        host.writeFile("/etc/delegator/delegations.yaml", "version: 1\n"
                + "delegations:\n"
                + "  site:\n"
                + "    caller: {user: git}\n"
                + "    delegate: {user: dlg-site, home: /var/lib/dlg-site}\n"
                + "    hosts: [localhost]\n"
                + "    verbs:\n"
                + "      deploy: {run: /usr/local/bin/site-deploy, args: ['[0-9a-f]{40}', 'refs/heads/[a-z]+']}\n", 0644);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    private static List<String> javas() {
        List<String> homes = host.suite().javaHomes();
        if (homes.isEmpty()) {
            return List.of(host.java());
        }
        return homes.stream().map(h -> h + "/bin/java").toList();
    }

    private static CommandResult as(String user, String java, String command) {
        return host.exec("runuser", "-u", user, "--", "env", "DELEGATOR_JAVA=" + java, "sh", "-c", command);
    }

    @Test
    @DisplayName("apply, run and hook git work with every Java of the release (Debian 13: OpenJDK 21 and 25)")
    void applyRunAndHookOnEachJava() {
        List<String> tried = new ArrayList<>();
        for (String java : javas()) {
            CommandResult version = host.exec(java, "-version");
            assertEquals(0, version.exitCode(), version::toString);
            tried.add(version.stderr().lines().findFirst().orElse(""));

            int listening = host.listeningCount();
            CommandResult applied = host.exec("env", "DELEGATOR_JAVA=" + java, "delegator", "apply", "--host-name", "localhost");
            assertEquals(0, applied.exitCode(), applied::toString);
            if (tried.size() > 1) {
                assertTrue(applied.stdout().contains("no changes"), applied::toString);
            } else if (applied.stdout().contains(") reloaded")) {
                host.awaitListeningAfter(listening);
            }

            CommandResult run = as("git", java, "delegator run site deploy " + SHA + " refs/heads/main");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("deployed " + SHA + " refs/heads/main as dlg-site with deploy\n", run.stdout(), run::toString);

            CommandResult hook = as("git", java, "echo '0000000000000000000000000000000000000000 " + SHA
                    + " refs/heads/main' | delegator hook git site --ref refs/heads/main");
            assertEquals(0, hook.exitCode(), hook::toString);
            assertTrue(hook.stdout().contains("deployed " + SHA + " refs/heads/main as dlg-site"), hook::toString);
        }
        if (!host.suite().javaHomes().isEmpty()) {
            assertEquals(host.suite().javaHomes().size(), tried.size());
            assertTrue(tried.get(0).contains("\"21."), tried::toString);
            assertTrue(tried.get(1).contains("\"25."), tried::toString);
        }
    }

    private static Path checkout() {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(dir.resolve("README.md")) || !Files.isDirectory(dir.resolve("it"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
