package dev.delegator.it.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.delegator.it.ansible.AnsibleController;
import dev.delegator.it.container.BuiltPackages;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.container.NeedsContainerHost;
import dev.delegator.it.cli.DelegatorCli;
import dev.delegator.it.local.Provisioner;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * README's "A fleet": eight container hosts provisioned only through the Ansible role
 * ({@code contrib/ansible/site.yml}, Debian's ansible-core on the test machine as the controller,
 * ssh as root into each container): the .deb installed by apt, the one manifest and the KRL put in
 * place, apply run. The CA lives on the test machine; the caller is the test process running the
 * real CLI against a {@code --hosts-file} of the eight. The steps build on each other and run in
 * order: provision and re-run (nothing changed, also in check mode), a refused manifest, the
 * fan-out with its summary and JSON, a revocation rolled out by the role, a user-CA rotation through
 * the role while runs go on.
 */
@NeedsContainerHost
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("A fleet: eight container hosts provisioned through the Ansible role from one manifest")
class FleetIT {
    private static final int HOSTS = 8;

    private static TestRoot root;
    private static List<ContainerHost> hosts = List.of();
    private static final Map<String, ContainerHost> byName = new LinkedHashMap<>();
    private static AnsibleController ansible;
    private static ClientKey key;
    private static Path caDir;
    private static Path manifestFile;
    private static Path krl;
    private static Path knownHosts;
    private static Path hostsFile;
    private static String delegation;
    private static String delegate;
    private static int delegateUid;
    private static String oldCa;
    private static String newCa;
    private static Path liveCert;
    private static final long classStart = System.nanoTime();

    @BeforeAll
    static void startHosts() throws Exception {
        Prerequisites.requireCommand("ssh-keygen", "ansible-playbook");
        long start = System.nanoTime();
        hosts = ContainerHost.builder().startMany(HOSTS);
        System.out.printf("FleetIT: %d hosts started in %.1f s%n", HOSTS, (System.nanoTime() - start) / 1e9);
        root = TestRoot.create("it-fleet");
        for (int i = 0; i < HOSTS; i++) {
            byName.put("fleet" + (i + 1) + ".it.example", hosts.get(i));
        }
        ansible = AnsibleController.forHosts(root.resolve("ansible"), byName);
        key = ClientKey.generate(root.path(), "id_ed25519");
        caDir = root.resolve("ca");
        manifestFile = root.resolve("delegations.yaml");
        String r = Provisioner.random();
        delegation = "fleet-" + r;
        delegate = "dlg-fleet-" + r;
        delegateUid = CaRotationIT.uidFreeOnThisMachine();
        StringBuilder pins = new StringBuilder();
        StringBuilder list = new StringBuilder("# the fleet: one host[:port] per line\n");
        byName.forEach((name, h) -> {
            pins.append(h.knownHostsLine()).append('\n');
            list.append("127.0.0.1:").append(h.sshPort()).append("   # ").append(name).append('\n');
        });
        knownHosts = root.resolve("known_hosts");
        Files.writeString(knownHosts, pins);
        hostsFile = root.resolve("fleet.txt");
        Files.writeString(hostsFile, list);
        oldCa = DelegatorCli.check("ca", "init", "--dir", caDir.toString(), "--comment", "fleet-user-ca-1").stdout().trim();
        // the CA machine's KRL, empty until the first revocation; the role rolls it out
        krl = caDir.resolve("revoked.krl");
        ExternalCommand.check("ssh-keygen", "-q", "-k", "-f", krl.toString());
        writeManifest(List.of(oldCa));
        ansible.inventory(byName, Map.of("delegator_deb", BuiltPackages.deb().toString(), "delegator_manifest", manifestFile.toString(),
                "delegator_krl", krl.toString()));
    }

    @AfterAll
    static void cleanUp() {
        hosts.forEach(ContainerHost::close);
        if (root != null) {
            root.close();
        }
        System.out.printf("FleetIT: %.1f s in all%n", (System.nanoTime() - classStart) / 1e9);
    }

    @Test
    @Order(1)
    @DisplayName("the role installs the package and applies on all eight; a second play and a check-mode play change nothing")
    void provisionThenNothingChanged() {
        AnsibleController.Play first = ansible.play();
        System.out.printf("FleetIT: first play %d s, ", first.took().toSeconds());
        assertTrue(first.allOk(byName.keySet()), first::toString);
        byName.keySet().forEach(n -> assertTrue(first.recap().get(n).changed() > 0, () -> n + " changed nothing: " + first));
        for (Map.Entry<String, ContainerHost> e : byName.entrySet()) {
            ContainerHost h = e.getValue();
            assertEquals("install ok installed", h.execChecked("dpkg-query", "-W", "-f", "${Status}", "delegator"), e.getKey());
            assertEquals("root:root 644\nroot:root 644\n", h.execChecked("stat", "-c", "%U:%G %a", "/etc/delegator/delegations.yaml",
                    "/etc/delegator/revoked.krl"), e.getKey());
            assertEquals(read(manifestFile), h.execChecked("cat", "/etc/delegator/delegations.yaml"));
            assertEquals(Integer.toString(delegateUid), h.execChecked("id", "-u", delegate).trim(), e.getKey());
        }
        AnsibleController.Play second = ansible.play();
        System.out.printf("second %d s, ", second.took().toSeconds());
        assertTrue(second.allOk(byName.keySet()), second::toString);
        byName.keySet().forEach(n -> assertEquals(0, second.recap().get(n).changed(), () -> n + " changed: " + second));
        AnsibleController.Play check = ansible.play("--check");
        System.out.printf("check mode %d s%n", check.took().toSeconds());
        assertTrue(check.allOk(byName.keySet()), check::toString);
        byName.keySet().forEach(n -> assertEquals(0, check.recap().get(n).changed(), () -> n + " would change: " + check));
    }

    @Test
    @Order(2)
    @DisplayName("a manifest delegator refuses fails the play with its file:line:column reason and replaces nothing there")
    void refusedManifest() throws Exception {
        String good = read(manifestFile);
        Files.writeString(manifestFile, good.replace("version: 1\n", "version: 1\nbogus: 2\n"));
        try {
            // one host shows it: the role does the same on each, and every plan costs a JVM start
            String n = byName.keySet().iterator().next();
            AnsibleController.Play bad = ansible.play("--limit", n);
            assertEquals(2, bad.result().exitCode(), bad::toString);
            {
                assertEquals(1, bad.recap().get(n).failed(), () -> n + ": " + bad);
                assertTrue(bad.result().stdout().contains("fatal: [" + n + "]: FAILED! => {\"changed\": false, \"msg\": \"delegator: "
                        + manifestFile + ":2:1: bogus: unknown key 'bogus'; allowed here: "), () -> n + ": " + bad);
                assertEquals(good, byName.get(n).execChecked("cat", "/etc/delegator/delegations.yaml"), n + " kept the manifest in place");
            }
        } finally {
            Files.writeString(manifestFile, good);
        }
    }

    @Test
    @Order(3)
    @DisplayName("delegator run --hosts-file fans out to all eight: prefixed output, the summary, one JSON result per host")
    void fanOut() throws Exception {
        liveCert = sign("cert-1.pub");
        CommandResult plain = run(liveCert);
        assertEquals(0, plain.exitCode(), plain::toString);
        for (ContainerHost h : hosts) {
            assertTrue(plain.stdout().contains(label(h) + ": uid=" + delegateUid + "(" + delegate + ") "), plain::toString);
            assertTrue(Pattern.compile("(?m)^" + Pattern.quote(label(h)) + " +0 +[0-9.]+s +ok$").matcher(plain.stderr()).find(),
                    plain::toString);
        }
        assertTrue(plain.stderr().endsWith("\n8 of 8 hosts succeeded; exit 0\n"), plain::toString);
        assertFalse(plain.stderr().contains("failed: "), plain::toString);

        CommandResult json = run(liveCert, "--json");
        assertEquals(0, json.exitCode(), json::toString);
        JsonObject doc = JsonParser.parseString(json.stdout()).getAsJsonObject();
        assertEquals(0, doc.get("exit").getAsInt());
        assertEquals(8, doc.get("succeeded").getAsInt());
        JsonArray results = doc.getAsJsonArray("hosts");
        assertEquals(HOSTS, results.size());
        for (int i = 0; i < HOSTS; i++) {
            JsonObject r = results.get(i).getAsJsonObject();
            assertEquals(label(hosts.get(i)), r.get("host").getAsString(), "the hosts file's order");
            assertEquals("ok", r.get("result").getAsString());
            assertTrue(r.get("error").isJsonNull());
            assertTrue(json.stderr().contains(label(hosts.get(i)) + ": uid=" + delegateUid + "(" + delegate + ") "), json::toString);
        }
    }

    @Test
    @Order(4)
    @DisplayName("a revoked caller certificate, its KRL rolled out by the role, is refused on all eight; a new one works")
    void revocation() {
        String serial = serialOf(liveCert);
        DelegatorCli.check("ca", "revoke", "--dir", caDir.toString(), "--serial", serial);
        AnsibleController.Play rollout = ansible.play();
        assertTrue(rollout.allOk(byName.keySet()), rollout::toString);
        byName.keySet().forEach(n -> assertTrue(rollout.recap().get(n).changed() > 0, () -> n + " did not take the KRL: " + rollout));
        CommandResult refused = run(liveCert);
        assertEquals(255, refused.exitCode(), refused::toString);
        assertFalse(refused.stdout().contains("uid="), refused::toString);
        for (ContainerHost h : hosts) {
            Pattern authRefused = Pattern.compile("(?m)^.*authentication as \\S*"
                    + Pattern.quote(label(h)) + "\\S* refused \\(publickey, key .*, certificate " + Pattern.quote(liveCert.toString()) + "\\)$");
            assertTrue(authRefused.matcher(refused.stderr()).find(), refused::toString);
            assertTrue(h.logs().contains("revoked by file /etc/delegator/ca/revoked_keys"), () -> "sshd on " + label(h) + " names the revocation: " + h.logs());
        }
        assertTrue(refused.stderr().contains("\n0 of 8 hosts succeeded; exit 255\n"), refused::toString);
        assertTrue(refused.stderr().contains("\nfailed: " + label(hosts.get(0)) + " (unreachable), "), refused::toString);
        liveCert = sign("cert-2.pub");
        assertAllSucceed(run(liveCert), "a new certificate after the revocation");
    }

    @Test
    @Order(5)
    @DisplayName("the user CA rotated through the role with runs going on: old and new trusted, then only new; no run fails")
    void userCaRotation() {
        newCa = DelegatorCli.check("ca", "init", "--next", "--dir", caDir.toString(), "--comment", "fleet-user-ca-2").stdout().trim();
        writeManifest(List.of(oldCa, newCa));
        playWhileRunning(liveCert, "adding the new CA key");
        Path oldCert = liveCert;
        liveCert = sign("cert-3.pub");
        assertTrue(ExternalCommand.check("ssh-keygen", "-L", "-f", liveCert.toString()).contains("Signing CA: ED25519 "
                + fingerprint(caDir.resolve("ca_ed25519-2.pub"))), "signed by the new key");
        assertAllSucceed(run(liveCert), "the new certificate while both keys are trusted");
        writeManifest(List.of(newCa));
        playWhileRunning(liveCert, "dropping the old CA key");
        CommandResult old = run(oldCert);
        assertEquals(255, old.exitCode(), old::toString);
        assertTrue(old.stderr().contains("\n0 of 8 hosts succeeded; exit 255\n"), old::toString);
        assertAllSucceed(run(liveCert), "the new certificate once the old key is gone");
    }

    /**
     * Plays while a fan-out with {@code cert} runs again and again; every run must succeed. apply
     * reloads sshd, which refuses connections for an instant: the runs retry connection failures
     * (--retries, README), as a CI job deploying during a rollout should.
     */
    private static void playWhileRunning(Path cert, String what) {
        AtomicBoolean playing = new AtomicBoolean(true);
        CompletableFuture<List<CommandResult>> runs = CompletableFuture.supplyAsync(() -> {
            List<CommandResult> done = new ArrayList<>();
            while (playing.get()) {
                done.add(run(cert, "--retries", "3"));
            }
            return done;
        });
        AnsibleController.Play play;
        try {
            play = ansible.play();
        } finally {
            playing.set(false);
        }
        List<CommandResult> during = runs.join();
        AnsibleController.Play p = play;
        assertTrue(p.allOk(byName.keySet()), () -> what + ": " + p);
        byName.keySet().forEach(n -> assertTrue(p.recap().get(n).changed() > 0, () -> what + ": " + n + " changed nothing: " + p));
        assertFalse(during.isEmpty());
        System.out.printf("FleetIT: %s: %d fan-outs during a %d s play%n", what, during.size(), p.took().toSeconds());
        for (CommandResult r : during) {
            assertAllSucceed(r, "a run while " + what);
        }
    }

    private static void writeManifest(List<String> trusted) {
        StringBuilder m = new StringBuilder("version: 1\nca:\n  keys:\n");
        for (String k : trusted) {
            m.append("    - '").append(k).append("'\n");
        }
        m.append("  krl: /etc/delegator/revoked.krl\n");
        m.append("delegations:\n  ").append(delegation).append(":\n"
                + "    auth: certificate\n"
                + "    caller: {user: ci, host: build1.it.example}\n"
                + "    delegate: {user: ").append(delegate).append(", home: /var/lib/").append(delegate)
                .append(", uid: ").append(delegateUid).append("}\n"
                + "    hosts:\n");
        byName.forEach((name, h) -> m.append("      - {host: '").append(name).append("', hostKey: '").append(h.hostPublicKey()).append("'}\n"));
        m.append("    from: ['").append(hosts.get(0).callerAddress()).append("']\n"
                + "    verbs:\n"
                + "      whoami: {run: /usr/bin/id}\n");
        try {
            Files.writeString(manifestFile, m);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code delegator ca sign} on the CA machine (the test machine), with the manifest the fleet was given. */
    private static Path sign(String fileName) {
        Path cert = root.resolve(fileName);
        DelegatorCli.check("ca", "sign", "--manifest", manifestFile.toString(), "--dir", caDir.toString(), "--out", cert.toString(),
                "--validity", "1h", delegation, key.privateKey() + ".pub");
        return cert;
    }

    private static String serialOf(Path cert) {
        Matcher m = Pattern.compile("Serial: (\\d+)").matcher(ExternalCommand.check("ssh-keygen", "-L", "-f", cert.toString()));
        assertTrue(m.find(), cert::toString);
        return m.group(1);
    }

    private static String fingerprint(Path pub) {
        return ExternalCommand.check("ssh-keygen", "-l", "-f", pub.toString()).split("\\s+")[1];
    }

    /** The real CLI as the caller: one fan-out over the hosts file, offering {@code cert} with the key. */
    private static CommandResult run(Path cert, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--hosts-file", hostsFile.toString(), "--user", delegate, "--identity",
                key.privateKey().toString(), "--certificate", cert.toString(), "--known-hosts", knownHosts.toString(), "--no-audit",
                "--timeout", "1m"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--", "whoami"));
        return DelegatorCli.run(args, Map.of());
    }

    private static void assertAllSucceed(CommandResult r, String what) {
        assertEquals(0, r.exitCode(), () -> what + ": " + r + sshdLogsOfFailed(r));
        assertTrue(r.stderr().contains("8 of 8 hosts succeeded; exit 0"), () -> what + ": " + r);
        for (ContainerHost h : hosts) {
            assertTrue(r.stdout().contains(label(h) + ": uid=" + delegateUid + "(" + delegate + ") "), () -> what + ": " + r);
        }
    }

    /** The end of the sshd log of every host the run names as failed: why sshd ended the session. */
    private static String sshdLogsOfFailed(CommandResult r) {
        StringBuilder b = new StringBuilder();
        for (ContainerHost h : hosts) {
            if (r.stderr().contains("delegator: " + label(h) + ": ")) {
                List<String> lines = h.logs().lines().toList();
                b.append("\n--- sshd on ").append(label(h)).append(" (last 40 lines):\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        }
        return b.toString();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String label(ContainerHost h) {
        return "127.0.0.1:" + h.sshPort();
    }
}
