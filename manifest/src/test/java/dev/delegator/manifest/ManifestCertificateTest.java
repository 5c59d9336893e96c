package dev.delegator.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The manifest's ca: and auth: certificate, and the position of every problem with them. */
class ManifestCertificateTest {
    static final String CA_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl delegator-ca";
    static final String GOOD = """
            version: 1
            ca:
              keys: ['%s']
              krl: /etc/delegator/revoked.krl
            delegations:
              web:
                caller: {user: ci, host: build1}
                delegate: {user: dlg-web, home: /var/lib/dlg-web}
                hosts:
                  - {host: 'web1.example.org', hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl web1'}
                from: ['192.0.2.10', '2001:db8::/32']
                auth: certificate
                verbs:
                  restart: {run: /usr/local/sbin/restart-blog, args: ['blog']}
              blog:
                caller: {user: hg}
                delegate: {user: dlg-blog, home: /var/lib/dlg-blog}
                hosts: [localhost]
                verbs:
                  deploy: {run: /usr/lib/delegator/deploy/hg-deploy}
            """.formatted(CA_KEY);

    @Test
    void readsTheCaAndTheAuthOfEachDelegation() throws ManifestException {
        Manifest m = ManifestLoader.parse(GOOD, "m.yaml");
        assertEquals(List.of(CA_KEY), m.ca().orElseThrow().keys());
        assertEquals(Optional.of(Path.of("/etc/delegator/revoked.krl")), m.ca().orElseThrow().krl());
        assertEquals(Auth.CERTIFICATE, m.delegation("web").orElseThrow().auth());
        assertEquals(Auth.KEY, m.delegation("blog").orElseThrow().auth());
    }

    @Test
    void certificateWithoutCaIsRefusedAtTheAuthLine() {
        String yaml = GOOD.replace("ca:\n  keys: ['" + CA_KEY + "']\n  krl: /etc/delegator/revoked.krl\n", "");
        ManifestProblem p = ManifestLoaderTest.only(yaml);
        assertEquals("m.yaml", p.source());
        assertEquals(9, p.line());
        assertEquals(11, p.column(), p::toString);
        assertEquals("delegations.web.auth", p.field());
        assertTrue(p.message().startsWith("certificate needs the CA keys: add a top-level 'ca: {keys: [...]}'"), p.message());
    }

    @Test
    void aFromSourceAddressCannotExpressIsRefusedAtTheFromLine() {
        ManifestProblem p = ManifestLoaderTest.only(GOOD.replace("from: ['192.0.2.10', '2001:db8::/32']",
                "from: ['build1.example.org']\n    allowHostNames: true"));
        assertEquals("delegations.web.from", p.field());
        assertEquals(11, p.line());
        assertTrue(p.message().contains("is a host name, which a certificate's source-address cannot express"), p.message());
        for (String entry : new String[] {"192.0.2.*", "!10.0.0.1"}) {
            ManifestProblem q = ManifestLoaderTest.only(GOOD.replace("from: ['192.0.2.10', '2001:db8::/32']",
                    "from: ['10.0.0.0/8', '" + entry + "']"));
            assertEquals("delegations.web.from", q.field());
            assertTrue(q.message().startsWith("from entry \"" + entry + "\" is a "), q.message());
            assertTrue(q.message().contains("which a certificate's source-address cannot express"), q.message());
        }
    }

    @Test
    void badCaKeysAndAuthValuesAreNamedWithTheirPosition() {
        ManifestProblem notKey = ManifestLoaderTest.only(GOOD.replace("keys: ['" + CA_KEY + "']", "keys: ['ssh-ed25519 bm90IGEga2V5']"));
        assertEquals("ca.keys[0]", notKey.field());
        assertEquals(3, notKey.line());
        assertTrue(notKey.message().startsWith("not a public key line"), notKey.message());
        ManifestProblem twice = ManifestLoaderTest.only(GOOD.replace("keys: ['" + CA_KEY + "']", "keys: ['" + CA_KEY + "', '" + CA_KEY + "']"));
        assertEquals("ca.keys[1]", twice.field());
        assertEquals("the same key as ca.keys[0]", twice.message());
        List<ManifestProblem> empty = ManifestLoaderTest.problems(GOOD.replace("keys: ['" + CA_KEY + "']", "keys: []"));
        assertEquals("ca.keys", empty.get(0).field());
        assertEquals("empty; list at least one CA public key", empty.get(0).message());
        ManifestProblem auth = ManifestLoaderTest.only(GOOD.replace("auth: certificate", "auth: password"));
        assertEquals("delegations.web.auth", auth.field());
        assertEquals("'password' is not an auth; write 'key' (the default) or 'certificate'", auth.message());
        ManifestProblem unknown = ManifestLoaderTest.only(GOOD.replace("krl:", "crl:"));
        assertEquals(4, unknown.line());
    }
}
