package dev.delegator.certificates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.knownhosts.HostCertificateCheck;
import dev.delegator.knownhosts.HostPort;
import dev.delegator.knownhosts.KnownHosts;
import dev.delegator.testkit.Bounded;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Jazzer target for certificates (see {@code AuthorizedKeysFuzzTest} for how the corpus is replayed
 * and fuzzed). The input is a certificate blob as a {@code -cert.pub} line carries it in base64
 * (the saved seeds are real ones made by ssh-keygen, a user and a host certificate), written under
 * the key type the blob itself names. Properties: reading it as a user certificate gives a
 * certificate or our {@link CertificateFormatException}, never another exception, and what it says
 * of a login is total; decoded as a host key, the caller's host-certificate check gives a verdict,
 * never an exception, under a known_hosts that trusts its CA and under one that does not.
 */
class CertificatesFuzzTest {
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final HostPort HOST = HostPort.parse("web1.example.org", 22);

    /** The two seeds as ssh-keygen wrote them (CA ed25519; user ed25519, host ECDSA). */
    private static final String USER_CERTIFICATE = "ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tAAAAII8li6n1uk8VRhJYidUx/d8tsuWzMDli+fXXZ3r1WYNvAAAAIFSRdX35XE4hw70oXTie5rQMboOVy/3IW7sNjjvXZjDiAAAAAAAAAAAAAAABAAAABXVzZXIxAAAACgAAAAZkZXBsb3kAAAAAaw+VLAAAAABs73dqAAAARQAAAA1mb3JjZS1jb21tYW5kAAAADQAAAAkvYmluL3RydWUAAAAOc291cmNlLWFkZHJlc3MAAAANAAAACTEyNy4wLjAuMQAAAIIAAAAVcGVybWl0LVgxMS1mb3J3YXJkaW5nAAAAAAAAABdwZXJtaXQtYWdlbnQtZm9yd2FyZGluZwAAAAAAAAAWcGVybWl0LXBvcnQtZm9yd2FyZGluZwAAAAAAAAAKcGVybWl0LXB0eQAAAAAAAAAOcGVybWl0LXVzZXItcmMAAAAAAAAAAAAAADMAAAALc3NoLWVkMjU1MTkAAAAgRp/G54e6zbyYgKx4jykrnBVrAmYOLmQVWhqD6yt+OdQAAABTAAAAC3NzaC1lZDI1NTE5AAAAQLvkw/G4G5XahVwbMPc7avcilGyD0iWgr0Sf+mPurL72G4fGpvpp38fWUtX3USCvWO+mj3qTiIj+YQj/cI878QM=";
    private static final String HOST_CERTIFICATE = "ecdsa-sha2-nistp256-cert-v01@openssh.com AAAAKGVjZHNhLXNoYTItbmlzdHAyNTYtY2VydC12MDFAb3BlbnNzaC5jb20AAAAgkRtNIwIbZzhxq/88SsalgRDHQntTBf4wcIiJxFvx7IAAAAAIbmlzdHAyNTYAAABBBB8alIaTTBSKVVUT/O4oS00K9yz6dr6u4dxGOCSdDI5xvRY5pwtHjNprPSAbfk6bbXWWBYwwSpujdDtVuQcoZK4AAAAAAAAAAAAAAAIAAAAFaG9zdDEAAAAUAAAAEHdlYjEuZXhhbXBsZS5vcmcAAAAAaw+VLAAAAABs73dqAAAAAAAAAAAAAAAAAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBGn8bnh7rNvJiArHiPKSucFWsCZg4uZBVaGoPrK3451AAAAFMAAAALc3NoLWVkMjU1MTkAAABAC5xSG+ZH1unAASfWhPF6mtBw6qh97RNfB2neFOAqld+pL0CEN3YSelV7krLHVu9NILXrPqPULn6B2mBZ3A/WCA==";

    static {
        // Bounded leaves the first input of a kind unbounded because it loads the classes; make
        // that one a real certificate of each key type, so the empty input is not the one spared
        try {
            for (String seed : new String[] {USER_CERTIFICATE, HOST_CERTIFICATE}) {
                byte[] blob = Base64.getDecoder().decode(seed.substring(seed.indexOf(' ') + 1));
                check(blob);
            }
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void certificatesAreReadAndCheckedTotally(FuzzedDataProvider data) throws Exception {
        check(data.consumeRemainingAsBytes());
    }

    private static void check(byte[] blob) throws Exception {
        String line = typeNamedBy(blob) + " " + Base64.getEncoder().encodeToString(blob);
        Bounded.check("certificate", () -> {
            try {
                UserCertificate c = UserCertificate.parse(line);
                c.problemAt(NOW, "deploy");
                c.problemAt(NOW, null);
                assertEquals(c.keyId(), c.certificate().getId());
            } catch (CertificateFormatException refused) {
                // a typed refusal is a result
            }
            PublicKey key;
            try {
                key = PublicKeyLine.parse(line).toPublicKey();
            } catch (KeyFormatException refused) {
                return;
            }
            if (key instanceof OpenSshCertificate cert) {
                String ca = PublicKeyLine.of(cert.getCaPubKey(), "").toLine();
                KnownHosts trusting = KnownHosts.parse("@cert-authority *.example.org " + ca + "\n", "fuzz");
                KnownHosts pinning = KnownHosts.parse("web1.example.org " + ca + "\n", "fuzz");
                for (KnownHosts k : new KnownHosts[] {trusting, pinning}) {
                    HostCertificateCheck.problem(k.pinsFor(HOST), cert, true, NOW, "fuzz");
                    HostCertificateCheck.problem(k.pinsFor(HOST), cert, false, NOW, "fuzz");
                }
            }
        });
    }

    /** The SSH string the blob starts with when it is a plausible key type, else ed25519's certificate type. */
    private static String typeNamedBy(byte[] blob) {
        if (blob.length >= 4) {
            int n = ByteBuffer.wrap(blob, 0, 4).getInt();
            if (n > 0 && n <= 64 && blob.length >= 4 + n) {
                String type = new String(blob, 4, n, StandardCharsets.US_ASCII);
                if (type.chars().allMatch(ch -> ch > ' ' && ch < 127)) {
                    return type;
                }
            }
        }
        return "ssh-ed25519-cert-v01@openssh.com";
    }
}
