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
 * the role while runs go on, then host certificates rolled out by the role with the caller trusting
 * only the host CA's {@code @cert-authority} line: hosts whose certificate names another host, is
 * signed by another CA, is a user certificate or has expired are refused, the others run.
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
    private static Path hostCa;
    private static String hostCaKey;
    private static Path hostCaKnownHosts;
    private static boolean servesHostCertificates;
    private static final String SERVED_CERT = "/etc/ssh/ssh_host_ed25519_key-cert.pub";
    /** The names the host CA vouches for: the fleet's names and 127.0.0.1 at any port, as the caller reaches the containers. */
    private static final String HOST_PATTERNS = "*.it.example,[127.0.0.1]:*";
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
        ansible.inventory(byName, groupVars());
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

    @Test
    @Order(6)
    @DisplayName("host certificates through the role, the caller trusting only @cert-authority: misnamed and foreign-CA hosts refused, the others run")
    void hostCertificatesThroughTheRole() throws Exception {
        hostCa = root.resolve("host-ca");
        hostCaKey = DelegatorCli.check("ca", "init", "--host", "--dir", hostCa.toString()).stdout().trim();
        Path otherCa = root.resolve("other-host-ca");
        DelegatorCli.check("ca", "init", "--host", "--dir", otherCa.toString(), "--comment", "not-trusted-host-ca");
        Map<String, Map<String, String>> hostVars = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, ContainerHost> e : byName.entrySet()) {
            i++;
            Path pub = Files.writeString(root.resolve(e.getKey() + ".pub"), e.getValue().hostPublicKey() + "\n");
            Path cert = root.resolve(e.getKey() + "-cert.pub");
            // the caller reaches every host as 127.0.0.1 (its mapped port): a good certificate names that too
            List<String> sign = new ArrayList<>(List.of("ca", "sign-host", "--dir", (i == 8 ? otherCa : hostCa).toString(),
                    "--validity", "1d", "--out", cert.toString(), pub.toString()));
            sign.addAll(i == 7 ? List.of("fleet1.it.example") : List.of(e.getKey(), "127.0.0.1"));
            DelegatorCli.check(sign.toArray(String[]::new));
            hostVars.put(e.getKey(), Map.of("delegator_host_certificate", cert.toString()));
        }
        servesHostCertificates = true;
        writeManifest(List.of(newCa));
        ansible.inventory(byName, groupVars(), hostVars);
        AnsibleController.Play play = ansible.play();
        assertTrue(play.allOk(byName.keySet()), play::toString);
        for (Map.Entry<String, ContainerHost> e : byName.entrySet()) {
            assertTrue(e.getValue().execChecked("sshd", "-T").contains("hostcertificate " + SERVED_CERT), e.getKey());
            assertEquals("root:root 644\n", e.getValue().execChecked("stat", "-c", "%U:%G %a", SERVED_CERT), e.getKey());
        }
        CommandResult r = runTrustingOnlyTheHostCa();
        assertEquals(255, r.exitCode(), r::toString);
        assertHostsRan(r, hosts.subList(0, 6));
        assertRefused(r, hosts.get(6), "host certificate for " + label(hosts.get(6)) + " names principals [fleet1.it.example] not 127.0.0.1; refusing to connect");
        assertRefused(r, hosts.get(7), "which " + hostCaKnownHosts + " does not trust for " + label(hosts.get(7)));
        assertTrue(r.stderr().contains("\n6 of 8 hosts succeeded; exit 255\n"), r::toString);
    }

    @Test
    @Order(7)
    @DisplayName("the role refuses to serve a user certificate; served behind its back, it and an expired one are refused by the caller, the others run")
    void badHostCertificates() throws Exception {
        ContainerHost fifth = hosts.get(4);
        ContainerHost sixth = hosts.get(5);
        String sixthName = "fleet6.it.example";
        Path hostCaPrivate = hostCa.resolve("ca_ed25519");
        // a user certificate for the sixth host's key, by the trusted host CA, naming the right host
        Path userCert = signWithSshKeygen(hostCaPrivate, root.resolve(sixthName + ".pub"), "user", "-V", "-5m:+1d");
        Map<String, Map<String, String>> hostVars = new LinkedHashMap<>();
        byName.keySet().forEach(n -> hostVars.put(n, Map.of("delegator_host_certificate", root.resolve(n + "-cert.pub").toString())));
        hostVars.put(sixthName, Map.of("delegator_host_certificate", userCert.toString()));
        ansible.inventory(byName, groupVars(), hostVars);
        String servedBefore = sixth.execChecked("cat", SERVED_CERT);
        AnsibleController.Play play = ansible.play();
        assertEquals(1, play.recap().get(sixthName).failed(), play::toString);
        assertTrue(play.result().stdout().contains("fatal: [" + sixthName + "]: FAILED! => {\"changed\": false, \"msg\": \""
                + userCert + " cannot be served: not a host certificate\"}"), play::toString);
        assertEquals(servedBefore, sixth.execChecked("cat", SERVED_CERT), "the served certificate stays");
        byName.keySet().stream().filter(n -> !n.equals(sixthName)).forEach(n -> {
            assertEquals(0, play.recap().get(n).failed(), () -> n + ": " + play);
            assertEquals(0, play.recap().get(n).changed(), () -> n + ": " + play);
        });

        // what the role would not do: a host serving its certificate after it expired, and a user certificate put in by hand
        Path expired = signWithSshKeygen(hostCaPrivate, root.resolve("fleet5.it.example.pub"), "host", "-V", "20200101:20200102");
        fifth.writeFile(SERVED_CERT, read(expired), 0644);
        fifth.reloadSshd();
        sixth.writeFile(SERVED_CERT, read(userCert), 0644);
        sixth.reloadSshd();
        CommandResult r = runTrustingOnlyTheHostCa();
        assertEquals(255, r.exitCode(), r::toString);
        assertHostsRan(r, hosts.subList(0, 4));
        assertRefused(r, fifth, "host certificate for " + label(fifth) + " (key id \"fleet5-host\") expired at 2020-01-02");
        assertRefused(r, sixth, "host certificate for " + label(sixth) + " (key id \"fleet6-user\") is a user certificate, not a host certificate");
        assertTrue(r.stderr().contains("\n4 of 8 hosts succeeded; exit 255\n"), r::toString);
    }

    /** {@code ssh-keygen -s CA -I fleetN-KIND [-h] -n 127.0.0.1 WINDOW PUB}: what {@code ca sign-host} refuses to make. */
    private static Path signWithSshKeygen(Path ca, Path pub, String kind, String... window) throws Exception {
        String name = pub.getFileName().toString().replace(".it.example.pub", "");
        Path copy = Files.copy(pub, root.resolve(name + "-" + kind + ".pub"));
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-s", ca.toString(), "-I", name + "-" + kind, "-n", "127.0.0.1"));
        if (kind.equals("host")) {
            cmd.add("-h");
        }
        cmd.addAll(List.of(window));
        cmd.add(copy.toString());
        CommandResult r = ExternalCommand.run(cmd, Map.of(), new byte[0], java.time.Duration.ofMinutes(1));
        assertEquals(0, r.exitCode(), r::toString);
        return root.resolve(name + "-" + kind + "-cert.pub");
    }

    /** The fan-out with a known_hosts holding nothing but the host CA's {@code @cert-authority} line. */
    private static CommandResult runTrustingOnlyTheHostCa() throws Exception {
        hostCaKnownHosts = Files.writeString(root.resolve("host-ca.known_hosts"), "@cert-authority " + HOST_PATTERNS + " " + hostCaKey + "\n");
        List<String> args = new ArrayList<>(List.of("run", "--hosts-file", hostsFile.toString(), "--user", delegate, "--identity",
                key.privateKey().toString(), "--certificate", liveCert.toString(), "--known-hosts", hostCaKnownHosts.toString(),
                "--no-audit", "--timeout", "1m", "--", "whoami"));
        return DelegatorCli.run(args, Map.of());
    }

    private static void assertHostsRan(CommandResult r, List<ContainerHost> ran) {
        for (ContainerHost h : ran) {
            assertTrue(r.stdout().contains(label(h) + ": uid=" + delegateUid + "(" + delegate + ") "), () -> label(h) + ": " + r);
        }
    }

    private static void assertRefused(CommandResult r, ContainerHost h, String reason) {
        assertTrue(r.stderr().lines().anyMatch(l -> l.startsWith("delegator: " + label(h) + ": ") && l.contains(reason)),
                () -> label(h) + " refused for: " + reason + "\n" + r);
        assertFalse(r.stdout().contains(label(h) + ": "), () -> label(h) + " ran: " + r);
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(label(h)) + " +255 +[0-9.]+s +unreachable$").matcher(r.stderr()).find(),
                () -> label(h) + ": " + r);
    }

    private static Map<String, String> groupVars() {
        return Map.of("delegator_deb", BuiltPackages.deb().toString(), "delegator_manifest", manifestFile.toString(),
                "delegator_krl", krl.toString());
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
        if (servesHostCertificates) {
            m.append("hostCertificates:\n  authorities: [{hosts: '").append(HOST_PATTERNS).append("', key: '").append(hostCaKey)
                    .append("'}]\n  serve: [").append(SERVED_CERT).append("]\n");
        }
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
