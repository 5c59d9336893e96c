package dev.delegator.client.internal;

import dev.delegator.certificates.CertificateFormatException;
import dev.delegator.certificates.Principal;
import dev.delegator.certificates.UserCertificate;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.Material;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * The certificate a target offers with its key. MINA SSHD authenticates with a certificate when
 * the identity is a {@code KeyPair(certificate, privateKey)} (UserAuthPublicKey reads the key type
 * from the public half), and silently skips one that is not valid by the local clock: delegator
 * checks first, so an expired or foreign certificate is one clear line and nothing is sent.
 */
public final class CertificateIdentity {
    private CertificateIdentity() {}

    /**
     * Reads and checks the target's certificate: decodable, a user certificate, valid at
     * {@code now}, naming {@code delegator:<delegation>} (unless the explicit form has no name).
     *
     * @throws PrivateKeys.KeyRefusedException with the one-line reason and what to do
     */
    public static UserCertificate check(DelegationTarget target, Material certificate, Instant now) throws PrivateKeys.KeyRefusedException {
        UserCertificate c;
        try {
            c = UserCertificate.parse(new String(certificate.read(), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new PrivateKeys.KeyRefusedException("certificate " + certificate.origin() + " does not exist; " + renewal(target, certificate, "sign one"));
        } catch (CertificateFormatException e) {
            throw new PrivateKeys.KeyRefusedException("certificate " + certificate.origin() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new PrivateKeys.KeyRefusedException("cannot read certificate " + certificate.origin() + ": " + e.getMessage(), e);
        }
        String principal = target.delegation().equals("-") ? null : Principal.ofDelegation(target.delegation());
        Optional<String> problem = c.problemAt(now, principal);
        if (problem.isPresent()) {
            throw new PrivateKeys.KeyRefusedException("certificate " + certificate.origin() + " (" + c.keyId() + ") " + problem.get() + "; "
                    + renewal(target, certificate, "renew"));
        }
        return c;
    }

    /**
     * The identity MINA offers: the certificate as the public half, the caller's private key.
     *
     * @throws PrivateKeys.KeyRefusedException when the certificate certifies another key
     */
    public static KeyPair pair(UserCertificate c, Material certificate, KeyPair key) throws PrivateKeys.KeyRefusedException {
        if (!KeyUtils.compareKeys(c.certificate().getCertPubKey(), key.getPublic())) {
            throw new PrivateKeys.KeyRefusedException("certificate " + certificate.origin() + " (" + c.keyId()
                    + ") certifies another key than the private key; sign this key's .pub");
        }
        return new KeyPair(c.certificate(), key.getPrivate());
    }

    private static String renewal(DelegationTarget target, Material certificate, String verb) {
        String name = target.delegation().equals("-") ? "NAME" : target.delegation();
        String pub = target.identity() instanceof Material.FromFile f ? f.path() + ".pub" : "KEY.pub";
        String out = certificate instanceof Material.FromFile f ? " --out " + f.path() : "";
        String defaultOut = target.identity() instanceof Material.FromFile f ? f.path() + "-cert.pub" : null;
        if (certificate instanceof Material.FromFile f && f.path().toString().equals(defaultOut)) {
            out = "";
        }
        return verb + " with delegator ca sign " + name + " " + pub + out;
    }
}
