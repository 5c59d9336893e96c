package dev.delegator.ca;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A host certificate {@link CertificateAuthority#signHost} wrote, as it was checked after signing.
 *
 * @param out            the certificate file
 * @param serial         its serial (unsigned)
 * @param keyId          {@code host=<first name>,serial=<n>}
 * @param principals     the host's names
 * @param validAfter     start of validity (backdated for clock skew)
 * @param validBefore    end of validity
 * @param keyFingerprint SHA-256 fingerprint of the host key
 * @param caFingerprint  SHA-256 fingerprint of the host CA key
 */
public record HostCertificateSigned(Path out, long serial, String keyId, List<String> principals, Instant validAfter,
        Instant validBefore, String keyFingerprint, String caFingerprint) {
    public HostCertificateSigned {
        principals = List.copyOf(principals);
    }
}
