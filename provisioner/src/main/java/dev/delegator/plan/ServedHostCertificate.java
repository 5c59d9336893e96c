package dev.delegator.plan;

import dev.delegator.certificates.CertificateTime;
import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.sshdconfig.DropIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * Whether a host certificate file is fit for this host's sshd to serve, checked before the drop-in
 * names it: sshd only logs (and skips) a certificate it cannot load or whose key is none of its
 * host keys, and {@code sshd -t} passes, so without this check apply would "succeed" and every
 * caller trusting the host CA would then refuse the host.
 */
final class ServedHostCertificate {
    private ServedHostCertificate() {}

    /** Why a certificate cannot be served. */
    static final class Unfit extends Exception {
        Unfit(String message) {
            super(message);
        }
    }

    /**
     * The drop-in entry for {@code cert}: a readable host certificate (not a user certificate) of one
     * of {@code hostKeys} that has not expired at {@code now}.
     */
    static DropIn.ServedCertificate judge(Path cert, List<PublicKeyLine> hostKeys, Instant now) throws Unfit {
        if (!Files.isRegularFile(cert, LinkOption.NOFOLLOW_LINKS)) {
            throw new Unfit(cert + " does not exist (or is not a regular file); sign this host's key with delegator ca sign-host "
                    + "and put the certificate there");
        }
        OpenSshCertificate c;
        try {
            PublicKey k = PublicKeyLine.read(cert).toPublicKey();
            if (!(k instanceof OpenSshCertificate oc)) {
                throw new Unfit(cert + " holds a plain key, not a certificate (ca sign-host writes KEY-cert.pub)");
            }
            c = oc;
        } catch (KeyFormatException e) {
            throw new Unfit(cert + ": " + e.getMessage());
        } catch (IOException e) {
            throw new Unfit("cannot read " + cert + ": " + e.getMessage());
        }
        if (c.getType() != OpenSshCertificate.Type.HOST) {
            throw new Unfit(cert + " is a user certificate; a host serves a host certificate (delegator ca sign-host)");
        }
        if (c.getPrincipals().stream().anyMatch(n -> n.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f))) {
            throw new Unfit(cert + " names a principal with a control character; sign it again with delegator ca sign-host");
        }
        String fp = PublicKeyLine.of(c.getCertPubKey(), "").fingerprint();
        if (hostKeys.stream().noneMatch(k -> k.fingerprint().equals(fp))) {
            throw new Unfit(cert + " certifies key " + fp + ", which is none of this host's host keys (sshd would not serve it); "
                    + "sign this host's own /etc/ssh/ssh_host_*_key.pub");
        }
        if (Long.compareUnsigned(now.getEpochSecond(), c.getValidBefore()) >= 0) {
            throw new Unfit(cert + " expired at " + CertificateTime.of(c.getValidBefore()) + "; sign this host's key again with "
                    + "delegator ca sign-host");
        }
        String until = c.getValidBefore() == OpenSshCertificate.INFINITY ? "forever" : CertificateTime.of(c.getValidBefore()).toString();
        return new DropIn.ServedCertificate(cert, "host certificate serial " + Long.toUnsignedString(c.getSerial()) + " for "
                + String.join(",", c.getPrincipals()) + ", valid until " + until);
    }
}
