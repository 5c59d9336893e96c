package dev.delegator.plan;

import dev.delegator.ca.CaException;
import dev.delegator.ca.CertificateAuthority;
import dev.delegator.ca.SignRequest;
import dev.delegator.certificates.Principal;
import dev.delegator.keys.PublicKeyLine;
import dev.delegator.manifest.Delegation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Signs the caller's key for its certificate delegation with the CA on this host, exactly as
 * {@code delegator ca sign} does (same request, same checks, same log), and writes the
 * certificate beside the key. The key is read when the step runs, so a key this apply generates
 * is certified in the same apply.
 */
record RenewCertificateStep(Change change, Delegation delegation, Path key, Path certificate, Duration validity) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(change);
    }

    @Override
    public void execute(Execution ex) throws IOException {
        Delegation d = delegation;
        try {
            CertificateAuthority ca = CertificateAuthority.open(ex.target().layout().caDir());
            SignRequest r = new SignRequest(d.name(), d.caller().user() + "@" + d.caller().host(), Principal.ofDelegation(d.name()),
                    ex.target().layout().forcedCommand(d.name()), d.from(), PublicKeyLine.read(Path.of(key + ".pub")), validity, certificate);
            ca.sign(r, ex.target().clock());
        } catch (CaException e) {
            throw new IOException("certificate for " + d.name() + ": " + e.getMessage(), e);
        }
    }
}
