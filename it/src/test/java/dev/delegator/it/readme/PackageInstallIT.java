package dev.delegator.it.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.container.BuiltPackages;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.testkit.CommandResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * README's "Install from the package" on a clean Debian 12 host (a container of the test image,
 * no JDK): {@code apt-get install ./delegator_*.deb} brings the Java runtime and the rest from the
 * Debian mirror, then the installed package does what README promises: version, man pages,
 * completion, a full apply, hook install and push-to-deploy, and remove then purge leave what they
 * say. The steps run in order on one host, as an admin would do them.
 */
@NeedsContainerHost
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("README: install from the package")
class PackageInstallIT {
    private static final String DEB = "/root/" + BuiltPackages.deb().getFileName();
    private static ContainerHost host;

    @BeforeAll
    static void install() {
        host = ContainerHost.builder().start();
        host.copyFile(BuiltPackages.deb(), DEB, 0644);
        // man-db and bash-completion are what an admin's machine has; the image is minimal
        CommandResult r = host.exec("sh", "-c", "apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive"
                + " apt-get install -y -q --no-install-recommends " + DEB + " man-db bash-completion 2>&1");
        assertEquals(0, r.exitCode(), "apt-get install of the package (dependencies from the Debian mirror): " + r);
    }

    @AfterAll
    static void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    @Order(0)
    @DisplayName("README's install commands name the package and tarball the build makes")
    void readmeNamesWhatTheBuildMakes() throws java.io.IOException {
        Path readme = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(readme.resolve("README.md")) || !Files.isDirectory(readme.resolve("it"))) {
            readme = readme.getParent();
        }
        String text = Files.readString(readme.resolve("README.md"));
        String section = text.substring(text.indexOf("### Install from the package"), text.indexOf("### Install from source"));
        assertTrue(section.contains("\napt install ./" + BuiltPackages.deb().getFileName() + "\n"), section);
        assertTrue(section.contains("packaging/target/" + BuiltPackages.deb().getFileName() + " and " + BuiltPackages.tarball().getFileName()), section);
        assertTrue(section.contains("\nmvn -B -DskipTests -pl packaging -am package "), section);
    }

    @Test
    @Order(1)
    @DisplayName("the package gives /usr/bin/delegator with the build's version, its man pages and bash completion")
    void versionManPagesCompletion() {
        CommandResult version = host.exec("delegator", "--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.stdout().startsWith("delegator " + BuiltPackages.version()), version.stdout());
        assertEquals("/usr/lib/delegator/delegator", host.shell("readlink -f /usr/bin/delegator").trim(),
                "/usr/bin/delegator is the launcher beside the jar");
        assertEquals("/usr/share/man/man1/delegator-apply.1.gz", host.shell("man -w delegator-apply").trim());
        assertEquals("/usr/share/man/man5/delegator-manifest.5.gz", host.shell("man -w 5 delegator-manifest").trim());
        String page = host.shell("MANWIDTH=80 man -P cat delegator-apply 2>/dev/null");
        assertTrue(page.contains("delegator-apply - Make this host match the manifest"), page);
        assertTrue(page.contains("--dry-run") || page.contains("--no-reload"), "the options are on the page: " + page);
        // bash-completion loads the file by the command's name on first use, as on Tab
        String complete = host.execChecked("bash", "-c", ". /usr/share/bash-completion/bash_completion;"
                + " _completion_loader delegator; complete -p delegator").trim();
        assertEquals("complete -o default -F _delegator_complete delegator", complete);
    }

    @Test
    @Order(2)
    @DisplayName("from the package: apply, hook install and a git push that deploys as the delegate")
    void applyHookPush() {
        host.shell("useradd -m -s /bin/sh gitsrv && install -d -m 0755 /srv/git && chown gitsrv /srv/git"
                + " && runuser -u gitsrv -- git init -q --bare -b main /srv/git/site.git");
        host.execChecked("install", "-d", "-m", "0755", "/etc/delegator");
        host.writeFile("/etc/delegator/delegations.yaml", """
                version: 1
                delegations:
                  site:
                    caller: {user: gitsrv}
                    delegate: {user: dlg-site, home: /var/lib/dlg-site}
                    hosts: [localhost]
                    verbs:
                      deploy: {run: /usr/lib/delegator/deploy/git-deploy, args: ['[0-9a-f]{40}', 'refs/heads/[a-z]+']}
                    resources:
                      - {path: /srv/www/site, mode: '0755', owner: delegate, kind: dir}
                    settings: {source: /srv/git/site.git}
                """, 0644);
        int listening = host.listeningCount();
        CommandResult apply = host.exec("delegator", "apply");
        assertEquals(0, apply.exitCode(), "apply: " + apply);
        assertTrue(apply.stdout().contains(") reloaded"), "apply reloads sshd: " + apply.stdout());
        host.awaitListeningAfter(listening);
        CommandResult again = host.exec("delegator", "apply");
        assertTrue(again.exitCode() == 0 && again.stdout().contains("no changes"),
                "the package's dispatcher and scripts are the ones apply installs: a second apply changes nothing: " + again);

        CommandResult hook = host.exec("runuser", "-u", "gitsrv", "--", "delegator", "hook", "install", "--git", "/srv/git/site.git", "site");
        assertEquals(0, hook.exitCode(), hook::toString);
        assertTrue(host.shell("cat /srv/git/site.git/hooks/post-receive").contains("/usr/bin/delegator hook git site"),
                "the hook calls the installed /usr/bin/delegator");

        CommandResult push = host.exec("runuser", "-u", "gitsrv", "--", "sh", "-c", """
                set -e
                cd /tmp && rm -rf work && git init -q -b main work && cd work
                git config user.email gitsrv@example.org && git config user.name gitsrv
                mkdir .deploy
                printf '#!/bin/sh\\necho "deploy: as $(id -un) revision $DELEGATOR_REVISION"\\necho "<h1>site</h1>" >/srv/www/site/index.html\\n' >.deploy/run
                chmod +x .deploy/run
                git add . && git commit -q -m 'site: first page'
                git rev-parse HEAD
                git push -q /srv/git/site.git main 2>&1
                """);
        assertEquals(0, push.exitCode(), "push: " + push);
        String commit = push.stdout().lines().findFirst().orElseThrow();
        assertTrue(push.stdout().contains("remote: deploy: as dlg-site revision " + commit),
                () -> "the pusher sees the deploy run as the delegate: " + push.stdout() + "\nsshd and the host's logs:\n" + host.logs()
                        + host.exec("sh", "-c", "tail -n 50 /var/log/auth.log /var/log/syslog 2>/dev/null; ls -la /var/lib/dlg-site /home/gitsrv/.cache/delegator 2>&1"));
        assertEquals("dlg-site <h1>site</h1>", host.shell("stat -c %U /srv/www/site/index.html && cat /srv/www/site/index.html")
                .replace('\n', ' ').trim());
    }

    @Test
    @Order(3)
    @DisplayName("apt-get remove keeps /etc/delegator, the accounts and keys; purge says what it leaves and why")
    void removeThenPurge() {
        CommandResult remove = host.exec("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q delegator 2>&1");
        assertEquals(0, remove.exitCode(), remove::toString);
        assertTrue(remove.stdout().contains("delegator: removed the programs; /etc/delegator"), remove.stdout());
        assertEquals("gone", host.shell("test -e /usr/bin/delegator || test -e /usr/lib/delegator/delegator.jar || echo gone").trim());
        assertEquals("rc", host.shell("dpkg-query -W -f '${db:Status-Abbrev}' delegator").trim(), "removed, config kept");
        // apply's work stays: the manifest, the delegate account, the caller's key, the sshd drop-in
        host.shell("test -f /etc/delegator/delegations.yaml && getent passwd dlg-site >/dev/null"
                + " && test -f /var/lib/delegator/callers/gitsrv/site/id_ed25519 && test -f /etc/ssh/sshd_config.d/50-delegator.conf");

        CommandResult purge = host.exec("sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get purge -y -q delegator 2>&1");
        assertEquals(0, purge.exitCode(), purge::toString);
        for (String left : new String[] {"/etc/delegator", "/var/lib/delegator", "/etc/ssh/sshd_config.d/50-delegator.conf"}) {
            assertTrue(purge.stdout().contains("delegator: purge leaves " + left + ": it was made by 'delegator apply'"),
                    "purge names " + left + ": " + purge.stdout());
        }
        CommandResult status = host.exec("dpkg-query", "-W", "-f", "${db:Status-Abbrev}", "delegator");
        assertFalse(status.exitCode() == 0 && status.stdout().startsWith("rc"), "purged: " + status);
        host.shell("test -f /etc/delegator/delegations.yaml && getent passwd dlg-site >/dev/null"
                + " && test -f /var/lib/delegator/callers/gitsrv/site/id_ed25519");
    }
}
