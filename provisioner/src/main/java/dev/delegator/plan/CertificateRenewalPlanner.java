package dev.delegator.plan;

import dev.delegator.ca.CertificateAuthority;
import dev.delegator.certificates.CertificateFormatException;
import dev.delegator.certificates.Principal;
import dev.delegator.certificates.SourceAddress;
import dev.delegator.certificates.UserCertificate;
import dev.delegator.manifest.Auth;
import dev.delegator.manifest.Delegation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * On a host that holds the CA key ({@code /var/lib/delegator/ca}), plans a new certificate for
 * each certificate delegation whose caller runs here when there is none, when less than a third
 * of its validity is left (so a timer running apply keeps them fresh), when it no longer carries
 * what ca sign would write (principal, force-command, source-address), or when another key
 * signed it.
 */
final class CertificateRenewalPlanner {
    private final PlanBuilder b;

    CertificateRenewalPlanner(PlanBuilder b) {
        this.b = b;
    }

    void plan(List<Delegation> callerSide) throws IOException {
        Path caDir = b.layout.caDir();
        if (!Files.isRegularFile(caDir.resolve("ca_ed25519"), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Instant now = b.t.clock().instant();
        for (Delegation d : callerSide) {
            if (d.auth() != Auth.CERTIFICATE || b.known.user(d.caller().user()).isEmpty() || SourceAddress.problem(d.from()).isPresent()) {
                continue;
            }
            Path key = b.layout.callerKey(d.caller().user(), d.name());
            Path cert = key.resolveSibling(key.getFileName() + "-cert.pub");
            Optional<String> why = renewalReason(d, cert, now, caDir);
            why.ifPresent(reason -> b.steps.add(new RenewCertificateStep(Change.of(Category.KEYS,
                    Files.exists(cert) ? Action.UPDATE : Action.CREATE, "certificate " + cert, reason, d.name()), d, key, cert,
                    validityOf(cert))));
        }
    }

    private Optional<String> renewalReason(Delegation d, Path cert, Instant now, Path caDir) throws IOException {
        if (!Files.exists(cert, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("missing; signed with " + caDir);
        }
        UserCertificate c;
        try {
            c = UserCertificate.read(cert);
        } catch (CertificateFormatException e) {
            return Optional.of("unreadable (" + e.getMessage() + ")");
        }
        Instant until = c.validBefore().orElse(Instant.MAX);
        Duration total = Duration.between(c.validAfter(), until);
        if (Duration.between(now, until).compareTo(total.dividedBy(3)) < 0) {
            return Optional.of(now.isBefore(until) ? "less than a third of its validity left (until " + until + ")" : "expired at " + until);
        }
        Map<String, String> want = Map.of("force-command", b.layout.forcedCommand(d.name()), "source-address", SourceAddress.of(d.from()));
        if (!c.principals().equals(List.of(Principal.ofDelegation(d.name()))) || !c.criticalOptions().equals(want) || !c.extensions().isEmpty()) {
            return Optional.of("no longer what ca sign writes for " + d.name() + " (the manifest changed)");
        }
        try {
            String signer = CertificateAuthority.open(caDir).publicKey().fingerprint();
            if (!c.caFingerprint().equals(signer)) {
                return Optional.of("signed by an older CA key");
            }
        } catch (dev.delegator.ca.CaException e) {
            b.blockers.add(new Blocker(Blocker.Kind.REFUSED, e.getMessage()));
        }
        return Optional.empty();
    }

    /** The validity of the certificate being renewed (its length without the backdating), else the default. */
    private static Duration validityOf(Path cert) {
        try {
            UserCertificate c = UserCertificate.read(cert);
            if (c.validBefore().isPresent()) {
                Duration d = Duration.between(c.validAfter(), c.validBefore().get()).minus(CertificateAuthority.BACKDATE);
                if (d.compareTo(CertificateAuthority.MIN_VALIDITY) >= 0 && d.compareTo(CertificateAuthority.MAX_VALIDITY) <= 0) {
                    return d;
                }
            }
        } catch (IOException e) {
            // no usable certificate: the default validity
        }
        return CertificateAuthority.DEFAULT_VALIDITY;
    }
}
