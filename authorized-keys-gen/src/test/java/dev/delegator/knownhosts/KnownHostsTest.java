package dev.delegator.knownhosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.keys.PublicKeyLine;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnownHostsTest {
    private static final String A = "AAAAC3NzaC1lZDI1NTE5AAAAIHJRQsr1RjygNPsGoljUPbSZUnNHGVFm6Od30CGIkNN9";
    private static final String B = "AAAAC3NzaC1lZDI1NTE5AAAAIAFGdgxPTWBGi6oD+/7+3S30BuJtlVJojUKJLCelO40R";

    private static byte[] blob(String base64) {
        return java.util.Base64.getDecoder().decode(base64);
    }

    @Test
    void pinsFollowHostPatternsAndPorts() throws IOException {
        KnownHosts kh = KnownHosts.parse(String.join("\n",
                "# pinned by delegator apply",
                "web1,192.0.2.7 ssh-ed25519 " + A,
                "[web1]:2222 ssh-ed25519 " + B,
                "@cert-authority *.example.org ssh-ed25519 " + B,
                ""), "kh");
        KnownHosts.Pins web1 = kh.pinsFor(HostPort.parse("web1", 22));
        assertTrue(web1.trusts("ssh-ed25519", blob(A)));
        assertFalse(web1.trusts("ssh-ed25519", blob(B)), "a pin for another port is no pin here");
        assertEquals(Set.of("ssh-ed25519"), web1.keyTypes());
        assertEquals(List.of("ssh-ed25519 " + PublicKeyLine.fingerprint(blob(A))), web1.pinnedFingerprints());
        assertTrue(kh.pinsFor(HostPort.parse("web1:2222", 22)).trusts("ssh-ed25519", blob(B)));
        assertTrue(kh.pinsFor(HostPort.parse("192.0.2.7", 22)).trusts("ssh-ed25519", blob(A)));
        KnownHosts.Pins underCa = kh.pinsFor(HostPort.parse("db.example.org", 22));
        assertFalse(underCa.trusts("ssh-ed25519", blob(B)), "@cert-authority is not a pin of the CA's own key");
        assertTrue(underCa.pinnedFingerprints().isEmpty());
    }

    @Test
    void aRevokedKeyIsNeverTrustedEvenWhenAlsoPinned() throws IOException {
        KnownHosts kh = KnownHosts.parse("web1 ssh-ed25519 " + A + "\n@revoked * ssh-ed25519 " + A + "\n", "kh");
        KnownHosts.Pins pins = kh.pinsFor(HostPort.parse("web1", 22));
        assertTrue(pins.revokes("ssh-ed25519", blob(A)));
        assertFalse(pins.trusts("ssh-ed25519", blob(A)));
    }

    @Test
    void aLineThatIsNoKeyIsPassedOverAsSshDoesAndPinsNothing() throws IOException {
        KnownHosts kh = KnownHosts.parse("web1 ssh-ed25519 !!!notbase64\nweb1 ssh-ed25519\nweb2 ssh-ed25519 " + A + "\n", "kh");
        assertTrue(kh.pinsFor(HostPort.parse("web1", 22)).keyTypes().isEmpty());
        assertTrue(kh.pinsFor(HostPort.parse("web2", 22)).trusts("ssh-ed25519", blob(A)));
    }

    @Test
    void certAuthorityLinesTakeOpenSshPatternsThatMinaCannotParse() throws IOException {
        KnownHosts kh = KnownHosts.parse(String.join("\n",
                "@cert-authority [10.0.0.*]:*,*.example.org,!db.example.org ssh-ed25519 " + B + " host-ca",
                "@CERT-AUTHORITY web? ssh-ed25519 " + A,
                "@cert-authority broken ssh-ed25519",
                "@something web1 ssh-ed25519 " + A,
                "web9 ssh-ed25519 " + A,
                ""), "kh");
        assertTrue(kh.pinsFor(HostPort.parse("10.0.0.3:2222", 22)).trustsAuthority("ssh-ed25519", blob(B)));
        assertFalse(kh.pinsFor(HostPort.parse("10.0.0.3", 22)).hasAuthorities(), "port 22 is looked up as the bare address");
        assertTrue(kh.pinsFor(HostPort.parse("web1.example.org", 22)).trustsAuthority("ssh-ed25519", blob(B)));
        assertFalse(kh.pinsFor(HostPort.parse("db.example.org", 22)).hasAuthorities(), "a negated match excludes the line");
        assertTrue(kh.pinsFor(HostPort.parse("web1", 22)).trustsAuthority("ssh-ed25519", blob(A)), "markers are case-insensitive");
        assertFalse(kh.pinsFor(HostPort.parse("web1", 22)).trusts("ssh-ed25519", blob(A)), "a CA line is no pin");
        assertTrue(kh.pinsFor(HostPort.parse("web9", 22)).trusts("ssh-ed25519", blob(A)), "lines after a broken one still count");
    }

    @Test
    void revokedLinesTakeTheSamePatterns() throws IOException {
        KnownHosts kh = KnownHosts.parse("@revoked [10.0.0.*]:* ssh-ed25519 " + A + "\n", "kh");
        assertTrue(kh.pinsFor(HostPort.parse("10.0.0.3:2222", 22)).revokes("ssh-ed25519", blob(A)));
        assertFalse(kh.pinsFor(HostPort.parse("10.0.1.3:2222", 22)).revokes("ssh-ed25519", blob(A)));
    }
}
