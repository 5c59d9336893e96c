package dev.delegator.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.knownhosts.HostPort;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The manifest's hostCertificates: a remote host a host CA covers needs no hostKey; every problem has its position. */
class ManifestHostCertificatesTest {
    static final String HOST_CA = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl delegator-host-ca";
    static final String GOOD = """
            version: 1
            hostCertificates:
              authorities:
                - {hosts: '*.example.org,!db.example.org', key: '%s'}
              revoked: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAFGdgxPTWBGi6oD+/7+3S30BuJtlVJojUKJLCelO40R lost-host']
              serve: [/etc/ssh/ssh_host_ed25519_key-cert.pub]
            delegations:
              web:
                caller: {user: ci, host: build1}
                delegate: {user: dlg-web, home: /var/lib/dlg-web}
                hosts: ['web1.example.org', 'web2.example.org:2222']
                from: ['192.0.2.10']
                verbs:
                  restart: {run: /usr/local/sbin/restart-blog}
            """.formatted(HOST_CA);

    @Test
    void aHostUnderATrustedHostCaNeedsNoPin() throws ManifestException {
        Manifest m = ManifestLoader.parse(GOOD.replace("'web2.example.org:2222'", "'[web2.example.org]:2222'")
                .replace("'*.example.org,!db.example.org'", "'*.example.org,[*.example.org]:2222,!db.example.org'"), "m.yaml");
        HostCertificates hc = m.hostCertificates().orElseThrow();
        assertEquals(List.of(new HostCertificates.Authority("*.example.org,[*.example.org]:2222,!db.example.org", HOST_CA)), hc.authorities());
        assertEquals(List.of(Path.of("/etc/ssh/ssh_host_ed25519_key-cert.pub")), hc.serve());
        assertEquals(1, hc.revoked().size());
        assertTrue(hc.covers(new HostPort("web2.example.org", 2222)));
        assertFalse(hc.covers(new HostPort("db.example.org", 22)));
        assertTrue(m.delegation("web").orElseThrow().hosts().get(0).hostKey().isEmpty());
    }

    @Test
    void aHostThePatternsDoNotCoverStillNeedsItsPin() {
        // *.example.org does not match [web2.example.org]:2222: ssh looks a non-22 port up in that form
        ManifestProblem p = ManifestLoaderTest.only(GOOD);
        assertEquals("delegations.web.hosts[1]", p.field());
        assertTrue(p.message().startsWith("remote host 'web2.example.org' needs its host key pinned: "), p.message());
        assertTrue(p.message().contains("or list a host CA for it under hostCertificates.authorities"), p.message());
        ManifestProblem negated = ManifestLoaderTest.only(GOOD.replace("'web1.example.org', 'web2.example.org:2222'", "'db.example.org'"));
        assertEquals("delegations.web.hosts[0]", negated.field());
    }

    @Test
    void badAuthoritiesAreRefusedWhereTheyAre() {
        ManifestProblem onlyNegated = ManifestLoaderTest.only(GOOD.replace("'*.example.org,!db.example.org'", "'!db.example.org'")
                .replace("'web1.example.org', 'web2.example.org:2222'", "{host: web1.example.org, hostKey: '" + HOST_CA + "'}"));
        assertEquals("hostCertificates.authorities[0].hosts", onlyNegated.field());
        assertEquals(4, onlyNegated.line());
        assertEquals("'!db.example.org' has only negated patterns, which never match; add the hosts it is for", onlyNegated.message());

        ManifestProblem blank = ManifestLoaderTest.only(GOOD.replace("'*.example.org,!db.example.org'", "'*.example.org web1'")
                .replace("'web1.example.org', 'web2.example.org:2222'", "{host: web1.example.org, hostKey: '" + HOST_CA + "'}"));
        assertEquals("hostCertificates.authorities[0].hosts", blank.field());

        ManifestProblem badKey = ManifestLoaderTest.only(GOOD.replace("key: '" + HOST_CA + "'", "key: 'ssh-ed25519 AAAA'")
                .replace("'web1.example.org', 'web2.example.org:2222'", "{host: web1.example.org, hostKey: '" + HOST_CA + "'}"));
        assertEquals("hostCertificates.authorities[0].key", badKey.field());
        assertTrue(badKey.message().startsWith("not a public key line ("), badKey.message());

        ManifestProblem relative = ManifestLoaderTest.only(GOOD.replace("serve: [/etc/ssh/ssh_host_ed25519_key-cert.pub]", "serve: [host-cert.pub]")
                .replace("'web1.example.org', 'web2.example.org:2222'", "'web1.example.org'"));
        assertEquals("hostCertificates.serve[0]", relative.field());

        ManifestProblem unknown = ManifestLoaderTest.only(GOOD.replace("  serve:", "  colour: blue\n  serve:")
                .replace("'web1.example.org', 'web2.example.org:2222'", "'web1.example.org'"));
        assertEquals("hostCertificates.colour", unknown.field());
    }
}
