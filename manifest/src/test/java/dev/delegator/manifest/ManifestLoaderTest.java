package dev.delegator.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestLoaderTest {
    static final String GOOD = """
            version: 1
            uidRange: '61000-61999'
            groups:
              - name: www-blog
                gid: 61500
            delegations:
              blog:
                caller: {user: hg}
                delegate: {user: dlg-blog, home: /var/lib/dlg-blog, groups: [www-blog]}
                hosts: [localhost]
                expires: 90d
                verbs:
                  deploy: {run: /usr/lib/delegator/deploy/hg-deploy, args: ['[0-9a-f]{40}']}
                  rollback: {run: /usr/lib/delegator/deploy/rollback}
                resources:
                  - {path: /srv/www/blog, mode: '0750', group: www-blog}
                sandbox: {network: none, timeout: 10m, processes: 64, memory: 512M, filesize: 1G}
                settings: {source: /srv/hg/blog, entry: .deploy/run}
              web:
                caller: {user: ci, host: build1}
                delegate: {user: dlg-web, home: /var/lib/dlg-web}
                hosts:
                  - {host: 'web1.example.org:2222', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl web1'}
                from: ['192.0.2.10', '2001:db8::/32']
                expires: 2027-01-31
                verbs:
                  restart: {run: /usr/local/sbin/restart-blog, args: ['blog']}
            """;

    static List<ManifestProblem> problems(String yaml) {
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestLoader.parse(yaml, "m.yaml"));
        return e.problems();
    }

    static ManifestProblem only(String yaml) {
        List<ManifestProblem> p = problems(yaml);
        assertEquals(1, p.size(), () -> "expected one problem, got " + p);
        return p.get(0);
    }

    @Test
    void loadsACompleteManifest() throws ManifestException {
        Manifest m = ManifestLoader.parse(GOOD, "m.yaml");
        assertEquals(2, m.delegations().size());
        Delegation blog = m.delegation("blog").orElseThrow();
        assertEquals("hg", blog.caller().user());
        assertEquals("localhost", blog.caller().host());
        assertEquals(List.of("127.0.0.1", "::1"), blog.from());
        assertEquals(new Expiry.After(Duration.ofDays(90)), blog.expires().orElseThrow());
        assertEquals(List.of("[0-9a-f]{40}"), blog.verbs().get("deploy").args());
        assertEquals(0750, blog.resources().get(0).mode());
        assertEquals(Resource.Owner.DELEGATE, blog.resources().get(0).owner());
        assertEquals(Sandbox.Network.NONE, blog.sandbox().network());
        assertEquals(Duration.ofMinutes(10), blog.sandbox().timeout());
        assertEquals(OptionalLong.of(512L << 20), blog.sandbox().memory());
        assertEquals("/srv/hg/blog", blog.settings().get("source"));
        Delegation web = m.delegation("web").orElseThrow();
        assertEquals(2222, web.hosts().get(0).port());
        assertEquals("web1.example.org", web.hosts().get(0).host());
        assertEquals(new IdRange(61000, 61999), m.uidRange().orElseThrow());
        assertEquals(Path.of("/var/lib/dlg-blog"), blog.delegate().home());
    }

    @Test
    void unknownKeyNamesTheKeyAndListsTheAllowedOnes() {
        ManifestProblem p = only(GOOD.replace("    expires: 90d\n", "    expires: 90d\n    expire: 10d\n"));
        assertEquals(12, p.line());
        assertEquals(5, p.column());
        assertEquals("delegations.blog.expire", p.field());
        assertTrue(p.message().contains("unknown key 'expire'") && p.message().contains("allowHostNames, auth, caller, callerPublicKey"), p.message());
    }

    @Test
    void duplicateKeyIsRefusedWithBothPositions() {
        ManifestProblem p = only(GOOD.replace("    hosts: [localhost]\n", "    hosts: [localhost]\n    hosts: [localhost]\n"));
        assertEquals(11, p.line());
        assertEquals("delegations.blog.hosts", p.field());
        assertTrue(p.message().startsWith("duplicate key 'hosts' (first at line 10:5)"), p.message());
    }

    @Test
    void reportsEveryProblemNotJustTheFirst() {
        List<ManifestProblem> p = problems(GOOD.replace("user: dlg-blog", "user: Dlg-Blog").replace("'0750'", "'0758'")
                .replace("timeout: 10m", "timeout: ten"));
        assertEquals(3, p.size(), p::toString);
        assertEquals("delegations.blog.delegate.user", p.get(0).field());
        assertEquals(9, p.get(0).line());
        assertEquals(22, p.get(0).column());
        assertEquals("delegations.blog.resources[0].mode", p.get(1).field());
        assertEquals("delegations.blog.sandbox.timeout", p.get(2).field());
        assertTrue(p.get(2).toString().startsWith("m.yaml:17:39: delegations.blog.sandbox.timeout: 'ten' is not a duration"), p.get(2).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'[0-9a-f]{40}'|'\\d{40}'|not in the Java/POSIX ERE common subset",
        "'[0-9a-f]{40}'|'[0-9a-f'|does not compile",
        "'[0-9a-f]{40}'|'(?=a)b'|lookaround",
        "'[0-9a-f]{40}'|'a+?'|lazy or possessive",
        "'[0-9a-f]{40}'|'[\\w]'|inside [...]",
        "'[0-9a-f]{40}'|'(a)\\1'|common subset",
    })
    void patternsMustCompileAndStayInTheCommonSubset(String good, String bad, String expected) {
        ManifestProblem p = only(GOOD.replace(good, bad));
        assertEquals("delegations.blog.verbs.deploy.args[0]", p.field());
        assertEquals(13, p.line());
        assertTrue(p.message().contains(expected), p.message());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "home: /var/lib/dlg-blog|home: /var/lib/../dlg-blog|delegations.blog.delegate.home|absolute path",
        "home: /var/lib/dlg-blog|home: var/lib/dlg-blog|delegations.blog.delegate.home|absolute path",
        "expires: 90d|expires: soon|delegations.blog.expires|neither a date",
        "blog:|Blog:|delegations.Blog|delegation name 'Blog'",
        "caller: {user: hg}|caller: {user: hg, host: 'a b'}|delegations.blog.caller.host|not a host name",
        "caller: {user: hg}|caller: {user: hg, reuse: soon}|delegations.blog.caller.reuse|'soon' is not a positive duration; give e.g. 10m",
        "caller: {user: hg}|caller: {user: hg, reuse: 0}|delegations.blog.caller.reuse|'0' is not a positive duration",
                "network: none|network: some|delegations.blog.sandbox.network|not one of: none, loopback, full",
        "memory: 512M|memory: 512X|delegations.blog.sandbox.memory|not a positive size",
        "filesize: 1G}|filesize: 1G, filesystem: chroot}|delegations.blog.sandbox.filesystem|not one of: host, jail",
        "group: www-blog}|group: www-blog, readOnly: true}|delegations.blog.resources[0].readOnly|needs 'sandbox: {filesystem: jail}'",
        "group: www-blog}|group: www-blog, readOnly: yes}|delegations.blog.resources[0].readOnly|not true or false",
        "'2001:db8::/32'|'2001:db8::1/32'|delegations.web.from[1]|host bits set",
        "'192.0.2.10'|'build1.example.org'|delegations.web.from[0]|allowHostNames: true",
        "'192.0.2.10'|'010.0.0.1'|delegations.web.from[0]|legacy IPv4 spelling: sshd reads it as 8.0.0.1",
        "'192.0.2.10'|'192.0.2.010'|delegations.web.from[0]|sshd reads it as 192.0.2.8",
        "'2001:db8::/32'|'10.1/8'|delegations.web.from[1]|sshd reads it as 10.0.0.1/8",
        "uidRange: '61000-61999'|uidRange: 'lots'|uidRange|not an id range",
        "home: /var/lib/dlg-blog|home: /etc/ssh|delegations.blog.delegate.home|in the system tree /etc",
        "path: /srv/www/blog|path: /usr/lib/delegator|delegations.blog.resources[0].path|in the system tree /usr",
        "path: /srv/www/blog|path: /srv|delegations.blog.resources[0].path|too close to /",
    })
    void badValuesAreNamedWithTheirField(String good, String bad, String field, String expected) {
        ManifestProblem p = only(GOOD.replace(good, bad));
        assertEquals(field, p.field());
        assertTrue(p.line() > 0 && p.column() > 0, p::toString);
        assertTrue(p.message().contains(expected), p.message());
    }

    static final String HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl web1";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the old regex took each of these; sshd loads none of them
        "ssh-ed25519 AAAA|key data ends inside the key type",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl|key data is a \"ssh-ed25519\" key, not ssh-rsa",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAAQA=|ed25519 public key has 1 bytes, not 32",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJ|key data is not canonical base64 (padding or trailing bits)",
        "ssh-ed25519 AAAA!!!!|key data is not valid base64",
        "ssh-ed25519|missing key data after \"ssh-ed25519\"",
    })
    void everyBadKeyIsReportedAtLoadWithItsPosition(String key, String reason) {
        ManifestProblem host = only(GOOD.replace(HOST_KEY, key));
        assertEquals("delegations.web.hosts[0].hostKey", host.field());
        assertEquals(23, host.line());
        assertEquals(50, host.column());
        assertEquals("not a public key line: " + reason + "; paste the host's /etc/ssh/ssh_host_ed25519_key.pub", host.message());

        ManifestProblem caller = only(GOOD.replace("      restart: {", "      restart: {").replace(
                "    expires: 2027-01-31\n", "    expires: 2027-01-31\n    callerPublicKey: '" + key + "'\n"));
        assertEquals("delegations.web.callerPublicKey", caller.field());
        assertEquals(26, caller.line());
        assertEquals(22, caller.column());
        assertTrue(caller.message().startsWith("public key is not a key line: column "), caller.message());
        assertTrue(caller.message().contains(": " + reason + ": sshd skips this line; paste the"), caller.message());
    }

    @Test
    void aCallerKeyIsWhatTheLineWriterTakesAndAHostKeyIsAPlainKey() throws ManifestException {
        Manifest m = ManifestLoader.parse(GOOD.replace("    expires: 2027-01-31\n",
                "    expires: 2027-01-31\n    callerPublicKey: 'ED25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci'\n"), "m.yaml");
        assertEquals("ED25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci",
                m.delegation("web").orElseThrow().callerPublicKey().orElseThrow());
        ManifestProblem p = only(GOOD.replace("    expires: 2027-01-31\n",
                "    expires: 2027-01-31\n    callerPublicKey: 'restrict " + HOST_KEY + "'\n"));
        assertTrue(p.message().startsWith("public key already carries options"), p.message());
    }

    @Test
    void aHostCertificateIsNoHostKeyPin(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path ca = dir.resolve("ca");
        Path host = dir.resolve("host");
        dev.delegator.testkit.ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", ca.toString());
        dev.delegator.testkit.ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", host.toString());
        dev.delegator.testkit.ExternalCommand.check("ssh-keygen", "-q", "-s", ca.toString(), "-I", "web1", "-h", host + ".pub");
        String cert = java.nio.file.Files.readString(dir.resolve("host-cert.pub")).strip();
        ManifestProblem p = only(GOOD.replace(HOST_KEY, cert));
        assertEquals("delegations.web.hosts[0].hostKey", p.field());
        assertTrue(p.message().startsWith("a host certificate (ssh-ed25519-cert-v01@openssh.com) is not a host key; pin the plain key it certifies"),
                p.message());
    }

    @Test
    void callerReuseIsReadAndOffWhenAbsent() throws ManifestException {
        Manifest m = ManifestLoader.parse(GOOD.replace("caller: {user: hg}", "caller: {user: hg, reuse: 10m}"), "m.yaml");
        assertEquals(java.util.Optional.of(Duration.ofMinutes(10)), m.delegation("blog").orElseThrow().caller().reuse());
        assertEquals(java.util.Optional.empty(), ManifestLoader.parse(GOOD, "m.yaml").delegation("blog").orElseThrow().caller().reuse());
    }

    @Test
    void aJailAndReadOnlyResourcesAreRead() throws ManifestException {
        Delegation blog = ManifestLoader.parse(GOOD.replace("filesize: 1G}", "filesize: 1G, filesystem: jail}")
                .replace("group: www-blog}", "group: www-blog, readOnly: true}"), "m.yaml").delegation("blog").orElseThrow();
        assertEquals(Sandbox.Filesystem.JAIL, blog.sandbox().filesystem());
        assertTrue(blog.resources().get(0).readOnly());
        assertEquals(Sandbox.Filesystem.HOST, ManifestLoader.parse(GOOD, "m.yaml").delegation("blog").orElseThrow().sandbox().filesystem());
    }

    @Test
    void aReadOnlyResourceWithoutAJailIsRefusedAtItsPosition() {
        ManifestProblem p = only(GOOD.replace("group: www-blog}", "group: www-blog, readOnly: true}"));
        assertEquals("m.yaml:16:72: delegations.blog.resources[0].readOnly: read-only needs 'sandbox: {filesystem: jail}':"
                + " on the host's filesystem nothing stops the delegate writing what it owns", p.toString());
    }

    @Test
    void remoteHostWithoutPinnedKeyIsRefused() {
        ManifestProblem p = only(GOOD.replace(", hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl web1'", ""));
        assertEquals("delegations.web.hosts[0]", p.field());
        assertEquals(23, p.line());
        assertTrue(p.message().contains("never trusts on first use"), p.message());
    }

    @Test
    void ipv6HostsAreReadAsTheCommandLineReadsThemAndShownInBrackets() throws Exception {
        String host = "{host: 'web1.example.org:2222', hostKey:";
        Manifest m = ManifestLoader.parse(GOOD.replace(host, "{host: '[2001:db8::7]:2222', hostKey:"), "m.yaml");
        DelegateHost h = m.delegation("web").orElseThrow().hosts().get(0);
        assertEquals("2001:db8::7", h.host());
        assertEquals(2222, h.port());
        assertEquals("[2001:db8::7]:2222", h.display());
        ManifestProblem p = only(GOOD.replace(host, "{host: 'web1:99999', hostKey:"));
        assertEquals("delegations.web.hosts[0]", p.field());
        assertEquals("port 99999 is outside 1-65535", p.message());
    }

    @Test
    void remoteCallerNeedsExplicitFrom() {
        ManifestProblem p = only(GOOD.replace("    from: ['192.0.2.10', '2001:db8::/32']\n", ""));
        assertEquals("delegations.web.from", p.field());
        assertTrue(p.message().contains("needs its addresses listed"), p.message());
    }

    @Test
    void yamlSyntaxErrorHasPosition() {
        ManifestProblem p = only("version: 1\ndelegations:\n  blog: [unclosed\n");
        assertEquals(4, p.line());
        assertTrue(p.message().startsWith("not valid YAML"), p.message());
    }

    @Test
    void billionLaughsFailsFast() {
        StringBuilder y = new StringBuilder("version: 1\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 10; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        y.append("delegations: *a9\n");
        ManifestProblem p = only(y.toString());
        assertTrue(p.message().contains("alias bomb"), p.message());
    }

    @Test
    void deepNestingIsRefused() {
        ManifestProblem p = only("version: 1\ndelegations: " + "[".repeat(60) + "]".repeat(60) + "\n");
        assertTrue(p.message().contains("nested deeper"), p.message());
    }

    @Test
    void emptyDocumentAndMissingVersion() {
        assertTrue(only("").message().contains("empty"));
        ManifestProblem p = only("delegations: {}\n");
        assertEquals("version", p.field());
        assertEquals(1, p.line());
    }

    @Test
    void sameDelegateUserTwiceIsRefused() {
        ManifestProblem p = only(GOOD.replace("user: dlg-web", "user: dlg-blog"));
        assertEquals("delegations.web.delegate.user", p.field());
        assertTrue(p.message().contains("already the delegate of 'blog'"), p.message());
    }
}
