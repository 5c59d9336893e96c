package dev.delegator.certificates;

import java.time.Instant;

/**
 * A certificate's valid-after or valid-before field as an instant. OpenSSH reads them as unsigned
 * 64-bit seconds; past what {@link Instant} holds (the year one billion) every value is the same
 * for any clock, so it becomes {@link Instant#MAX} instead of an exception (found by
 * CertificatesFuzzTest: a certificate claiming validity from second 2^62 on).
 */
public final class CertificateTime {
    private CertificateTime() {}

    public static Instant of(long unsignedSeconds) {
        return unsignedSeconds < 0 || unsignedSeconds > Instant.MAX.getEpochSecond() ? Instant.MAX : Instant.ofEpochSecond(unsignedSeconds);
    }
}
