package dev.delegator.ca;

import dev.delegator.keys.PublicKeyLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CertificateAuthority#sign} certifies: one caller's key for one delegation.
 *
 * @param delegation   the delegation's name (key id, principal)
 * @param caller       {@code user@host} of the caller (key id)
 * @param principal    the one principal ({@code delegator:<name>})
 * @param forceCommand the forced command, identical to the principals line's {@code command=}
 * @param from         the delegation's from list; becomes {@code source-address}
 * @param publicKey    the caller's public key (not a certificate)
 * @param validity     how long from now the certificate is valid (at most {@link CertificateAuthority#MAX_VALIDITY})
 * @param out          where the certificate is written ({@code <key>-cert.pub} by convention)
 */
public record SignRequest(String delegation, String caller, String principal, String forceCommand, List<String> from,
        PublicKeyLine publicKey, Duration validity, Path out) {
    public SignRequest {
        Objects.requireNonNull(delegation, "delegation");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(forceCommand, "forceCommand");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(out, "out");
        from = List.copyOf(from);
    }
}
