package dev.delegator.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.client.Material;
import dev.delegator.client.PinAdvice;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;

/**
 * The certificate checks no real sshd can be made to present: ssh-keygen signs no critical option
 * into a host certificate and never an empty principal list or a broken signature, so these
 * certificates are built with MINA's builder (ECDSA keys: plain JCE) and judged directly.
 */
class HostCertificateCheckTest {
    private static final Instant NOW = Instant.now();

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String line(PublicKey k) {
        return PublicKeyEntry.toString(k);
    }

    private static PinnedHostKeys trusting(KeyPair ca) throws Exception {
        String kh = "@cert-authority [127.0.0.1]:* " + line(ca.getPublic()) + "\n";
        return PinnedHostKeys.load(Material.env("KNOWN_HOSTS", kh), "127.0.0.1", 2222);
    }

    private static OpenSshCertificateBuilder host(KeyPair hostKey, List<String> principals) {
        return OpenSshCertificateBuilder.hostCertificate().publicKey(hostKey.getPublic()).serial(7).id("host=test,serial=7")
                .principals(principals).validAfter(NOW.minusSeconds(300)).validBefore(NOW.plusSeconds(3600));
    }

    private static Optional<String> judge(PinnedHostKeys pins, OpenSshCertificate cert) {
        return pins.refusal(null, cert, PinAdvice.KNOWN_HOSTS_LINE);
    }

    @Test
    void aGoodCertificateIsAccepted() throws Exception {
        KeyPair ca = ec();
        assertEquals(Optional.empty(), judge(trusting(ca), host(ec(), List.of("127.0.0.1")).sign(ca)));
    }

    @Test
    void anyCriticalOptionRefuses() throws Exception {
        KeyPair ca = ec();
        OpenSshCertificate c = host(ec(), List.of("127.0.0.1")).criticalOption("force-command", "/bin/true").sign(ca);
        assertEquals(Optional.of("host certificate for 127.0.0.1:2222 (key id \"host=test,serial=7\") carries critical options "
                + "[force-command] (none is defined for host certificates); refusing to connect"), judge(trusting(ca), c));
    }

    @Test
    void anEmptyPrincipalListRefuses() throws Exception {
        KeyPair ca = ec();
        OpenSshCertificate c = host(ec(), List.of()).sign(ca);
        assertEquals(Optional.of("host certificate for 127.0.0.1:2222 (key id \"host=test,serial=7\") names no principals "
                + "(it would vouch for any host); refusing to connect"), judge(trusting(ca), c));
    }

    @Test
    void aTamperedCertificateFailsItsSignature() throws Exception {
        KeyPair ca = ec();
        OpenSshCertificate good = host(ec(), List.of("127.0.0.1")).sign(ca);
        String text = line(good);
        byte[] blob = Base64.getDecoder().decode(text.substring(text.indexOf(' ') + 1));
        byte[] id = "host=test,serial=7".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(blob, id);
        assertTrue(at > 0);
        blob[at + id.length - 1] = '8'; // the key id now says serial=8; the CA signed serial=7
        String forged = text.substring(0, text.indexOf(' ') + 1) + Base64.getEncoder().encodeToString(blob);
        OpenSshCertificate c = (OpenSshCertificate) PublicKeyEntry.parsePublicKeyEntry(forged).resolvePublicKey(null, null, null);
        String m = judge(trusting(ca), c).orElseThrow();
        assertTrue(m.startsWith("host certificate for 127.0.0.1:2222 (key id \"host=test,serial=8\"): the signature of CA "
                + "ecdsa-sha2-nistp256 SHA256:"), m);
        assertTrue(m.endsWith(" does not verify; refusing to connect"), m);
    }

    @Test
    void aPrincipalPatternMatchesAsInOpenSsh() throws Exception {
        KeyPair ca = ec();
        assertEquals(Optional.empty(), judge(trusting(ca), host(ec(), List.of("other", "127.0.0.?")).sign(ca)));
        assertTrue(judge(trusting(ca), host(ec(), List.of("127.0.0.1:2222")).sign(ca)).orElseThrow()
                .startsWith("host certificate for 127.0.0.1:2222 names principals [127.0.0.1:2222] not 127.0.0.1"));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
