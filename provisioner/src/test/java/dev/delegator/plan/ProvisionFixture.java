package dev.delegator.plan;

import dev.delegator.accounts.Accounts;
import dev.delegator.install.ScriptSource;
import dev.delegator.layout.Layout;
import dev.delegator.manifest.Manifest;
import dev.delegator.manifest.ManifestLoader;
import dev.delegator.sshdconfig.SshdPaths;
import dev.delegator.systemtools.SystemTool;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One test's machine: a root-owned test root holding the layout, a private sshd whose config
 * includes the drop-in directory, a real caller account, and random delegate names
 * ({@code dlgt-<6 hex>}) that apply creates and close() removes (with the delegator group if
 * this fixture created it).
 */
final class ProvisionFixture implements AutoCloseable {
    static final String HOST = "testhost";
    private static final SecureRandom RANDOM = new SecureRandom();

    final TestRoot root;
    final TestUsers users = new TestUsers();
    final PrivateSshd sshd;
    final TestUser caller;
    final Path verbScript;
    private final boolean delegatorGroupExisted;
    private final List<String> delegates = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();

    ProvisionFixture() {
        this(List.of());
    }

    /** With {@code sshdConfigLines} added to the private sshd's global config (e.g. {@code AcceptEnv *}). */
    ProvisionFixture(List<String> sshdConfigLines) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh", "useradd", "getent", "setpriv");
        delegatorGroupExisted = new Accounts().group("delegator").isPresent();
        root = TestRoot.create("prov");
        try {
            Path sshdDir = root.resolve("sshd");
            Files.createDirectories(sshdDir);
            PrivateSshd.Builder builder = PrivateSshd.builder(sshdDir).include(sshdDir.resolve("sshd_config.d") + "/*.conf");
            sshdConfigLines.forEach(builder::configLine);
            sshd = builder.start();
            Files.createDirectories(root.resolve("home"));
            caller = users.create("dlgtc", root.resolve("home"));
            Path verbs = root.resolve("verbs");
            Files.createDirectories(verbs);
            verbScript = verbs.resolve("hello");
            Files.writeString(verbScript, "#!/bin/sh\necho \"hello $1 from $(id -un)\"\n");
            Files.setPosixFilePermissions(verbScript, FileStatus.perms(0755));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    static String randomName(String prefix) {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }

    /** A new delegate user name, removed on close. */
    String delegate() {
        String name = randomName("dlgt-");
        delegates.add(name);
        users.adopt(name);
        return name;
    }

    /** A group apply creates in the test, removed on close (after the users in it). */
    void removeGroupOnClose(String group) {
        groups.add(group);
    }

    /** After an apply that wrote the drop-in and sent sshd SIGHUP: waits until sshd listens again (the {@code times}-th time). */
    void awaitListening(int times) throws InterruptedException {
        for (int i = 0; i < 400 && listening() < times; i++) {
            Thread.sleep(50);
        }
        if (listening() < times) {
            throw new AssertionError("sshd did not listen again after the reload:\n" + sshd.logText());
        }
    }

    private int listening() {
        return sshd.logText().split("Server listening on 127.0.0.1", -1).length - 1;
    }

    /** OpenSSH's client as the caller of {@code delegation}, to {@code delegate} on the private sshd. */
    dev.delegator.testkit.OpenSshClient client(String delegation, String delegate) {
        return new dev.delegator.testkit.OpenSshClient(sshd.port(), delegate, layout().callerKey(caller.name(), delegation),
                layout().callerKnownHosts(caller.name(), delegation));
    }

    Layout layout() {
        return Layout.under(root.path());
    }

    Target target() {
        return target(HOST);
    }

    Target target(String hostName) {
        return new Target(layout(), new SshdPaths(sshd.configFile(), SshdPaths.DEFAULT_BINARY), ThisHost.named(hostName), new Accounts(),
                ScriptSource.bundled(), Clock.systemUTC());
    }

    /** The YAML of one local delegation with the test verb {@code hello NAME}. */
    String delegation(String name, String delegate) {
        return "  " + name + ":\n"
                + "    caller: {user: " + caller.name() + "}\n"
                + "    delegate: {user: " + delegate + ", home: " + root.resolve("home").resolve(delegate) + "}\n"
                + "    hosts: ['localhost:" + sshd.port() + "']\n"
                + "    expires: 30d\n"
                + "    verbs:\n"
                + "      hello: {run: " + verbScript + ", args: ['[a-z]{1,16}']}\n"
                + "    resources:\n"
                + "      - {path: " + root.resolve("srv").resolve(name) + ", mode: '0750'}\n"
                + "    sandbox: {timeout: 1m, processes: 64}\n";
    }

    Path writeManifest(String delegationsYaml) throws IOException {
        Path m = root.resolve("delegations.yaml");
        Files.writeString(m, "version: 1\ndelegations:\n" + delegationsYaml);
        return m;
    }

    Manifest manifest(String delegationsYaml) throws Exception {
        return ManifestLoader.load(writeManifest(delegationsYaml));
    }

    @Override
    public void close() {
        if (sshd != null) {
            sshd.close();
        }
        users.close();
        for (String g : groups) {
            SystemTool.run(List.of("groupdel", g));
        }
        if (!delegatorGroupExisted) {
            var g = new Accounts().group("delegator");
            if (g.isPresent() && g.get().members().isEmpty()) {
                SystemTool.run(List.of("groupdel", "delegator"));
            }
        }
        root.close();
    }
}
