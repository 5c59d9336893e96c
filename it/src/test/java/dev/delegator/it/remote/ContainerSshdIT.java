package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.container.CliJar;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.localsshd.OpenSshVersion;
import dev.delegator.it.container.DebianSuite;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The remote-host fixture works end to end: the container's Debian sshd accepts a key installed by
 * docker exec, the test process reaches it through the mapped port, and {@code from=} is judged
 * against the address sshd inside sees (the Docker bridge gateway), which is what scenario 3
 * (CI delegation to another machine) relies on.
 */
@NeedsContainerHost
@DisplayName("A container host's sshd")
class ContainerSshdIT {
    private static final String USER = "dlg-remote";

    private static TestRoot root;
    private static ContainerHost host;
    private static ClientKey key;
    private static OpenSshClient ssh;

    @BeforeAll
    static void startHost() throws Exception {
        Prerequisites.requireCommand("ssh", "ssh-keygen");
        host = ContainerHost.builder().withJava().withCliJar(CliJar.require()).allowingUserNamespaces().start();
        root = TestRoot.create("it-remote");
        key = ClientKey.generate(root.path(), "id_ed25519");
        Path knownHosts = root.resolve("known_hosts");
        Files.writeString(knownHosts, host.knownHostsLine() + "\n");
        ssh = new OpenSshClient(host.sshPort(), USER, key.privateKey(), knownHosts);
        host.shell("useradd --create-home --shell /bin/sh " + USER + " && usermod -p '*' " + USER
                + " && install -d -m 0700 -o " + USER + " -g " + USER + " /home/" + USER + "/.ssh");
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
        if (root != null) {
            root.close();
        }
    }

    private static void authorize(String line) {
        String file = "/home/" + USER + "/.ssh/authorized_keys";
        host.writeFile(file, line + "\n", 0600);
        host.execChecked("chown", USER + ":" + USER, file);
    }

    @Test
    @DisplayName("accepts a key installed by docker exec, from the test process through the mapped port")
    void acceptsInstalledKey() {
        authorize(key.publicKey());
        CommandResult r = ssh.run("id -un; echo \"$SSH_CONNECTION\"");
        assertEquals(0, r.exitCode(), r::toString);
        String[] lines = r.stdout().split("\n");
        assertEquals(USER, lines[0]);
        // SSH_CONNECTION = client-address client-port server-address server-port
        String[] conn = lines[1].split(" ");
        assertEquals(host.callerAddress(), conn[0], "the caller as sshd sees it is the bridge gateway");
        assertEquals(host.address(), conn[2]);
        assertEquals("22", conn[3]);
    }

    @Test
    @DisplayName("from= with the address the container sees for the caller allows the login")
    void fromCallerAddressAllows() {
        authorize("restrict,from=\"" + host.callerAddress() + "\",command=\"echo allowed-from-$SSH_CLIENT\" " + key.publicKey());
        CommandResult r = ssh.run("id");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().startsWith("allowed-from-" + host.callerAddress() + " "), r::toString);
    }

    @Test
    @DisplayName("from= with another address denies the login, and sshd logs why")
    void fromOtherAddressDenies() {
        // a TEST-NET-3 address nobody here has
        authorize("restrict,from=\"203.0.113.7\",command=\"echo should-not-run\" " + key.publicKey());
        CommandResult r = ssh.run("id");
        assertEquals(255, r.exitCode(), r::toString);
        assertTrue(r.stderr().contains("Permission denied (publickey"), r::toString);
        assertTrue(r.stdout().isEmpty(), r::toString);
        assertTrue(host.logs().contains("Authentication tried for " + USER
                + " with correct key but not from a permitted host (host=" + host.callerAddress()
                + ", ip=" + host.callerAddress() + ", required=203.0.113.7)."), host::logs);
    }

    @Test
    @DisplayName("runs the CLI jar with the release's Java (Debian 13: its own OpenJDK 21; Debian 12: the mounted test JDK)")
    void cliRunsInside() {
        CommandResult r = host.exec(host.delegatorCommand("--help"));
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.stdout().contains("Usage: delegator"), r::toString);
        CommandResult version = host.exec(host.java(), "-version");
        assertEquals(0, version.exitCode(), version::toString);
        String feature = host.suite().ownJavaHome().isPresent() ? "\"21." : "\"" + Runtime.version().feature() + ".";
        assertTrue(version.stderr().contains(feature), version::toString);
    }

    @Test
    @DisplayName("is the sshd of the matrix leg's Debian release (OpenSSH 9.2 on 12, 10.0 on 13)")
    void sshdIsTheReleasesOwn() {
        CommandResult r = host.exec("/usr/sbin/sshd", "-V");
        assertEquals(host.suite().openSsh(), OpenSshVersion.parse(r.stderr() + r.stdout()), r::toString);
    }

    @Test
    @DisplayName("lets an unprivileged user unshare a network namespace (the sandbox's network none)")
    void userNamespaces() {
        String links = host.shell("setpriv --reuid " + USER + " --regid " + USER
                + " --clear-groups --no-new-privs unshare -rn ip -o link | cut -d: -f2 | tr -d ' '");
        assertEquals("lo\n", links);
    }

    @Test
    @DisplayName("negotiates the post-quantum hybrid mlkem768x25519-sha256 with OpenSSH 10.0, curve25519-sha256 with 9.2 (sshd's own log says which)")
    void keyExchange() {
        int before = host.listeningCount();
        host.writeFile("/etc/ssh/sshd_config.d/00-kex-log.conf", "LogLevel DEBUG1\n", 0644);
        host.reloadSshd();
        try {
            authorize("restrict,command=\"echo kex-ok\" " + key.publicKey());
            CommandResult r = DelegatorCli.runAsCi(host, USER, key.privateKey(), "anything");
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("kex-ok\n", r.stdout(), r::toString);
            String logs = host.logs();
            String expected = host.suite() == DebianSuite.TRIXIE ? "mlkem768x25519-sha256" : "curve25519-sha256";
            assertTrue(logs.contains("kex: algorithm: " + expected), () -> "expected " + expected + " in " + logs);
        } finally {
            host.execChecked("rm", "-f", "/etc/ssh/sshd_config.d/00-kex-log.conf");
            host.reloadSshd();
        }
        assertTrue(host.listeningCount() > before);
    }
}
