package dev.delegator.certificates;

import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.PublicKeyLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * An OpenSSH user certificate ({@code *-cert-v01@openssh.com}), decoded by MINA SSHD and kept with
 * the line it came from. Times are what the certificate says; {@code validBefore} is empty for
 * "forever" (OpenSSH's all-ones value).
 *
 * @param line            the {@code -cert.pub} line
 * @param certificate     MINA's decoded certificate (what a client offers)
 * @param serial          the serial (unsigned 64 bits, shown as {@link Long#toUnsignedString(long)})
 * @param keyId           the key id
 * @param principals      the principals, in certificate order
 * @param validAfter      the start of validity
 * @param validBefore     the end of validity, empty for forever
 * @param criticalOptions critical options by name (value "" for flags)
 * @param extensions      extensions by name (value "" for flags)
 * @param keyFingerprint  SHA-256 fingerprint of the certified public key, as {@code ssh-keygen -l} prints it
 * @param caFingerprint   SHA-256 fingerprint of the signing CA key
 */
public record UserCertificate(PublicKeyLine line, OpenSshCertificate certificate, long serial, String keyId, List<String> principals,
        Instant validAfter, Optional<Instant> validBefore, SortedMap<String, String> criticalOptions, SortedMap<String, String> extensions,
        String keyFingerprint, String caFingerprint) {

    public UserCertificate {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(certificate, "certificate");
        principals = List.copyOf(principals);
        criticalOptions = Collections.unmodifiableSortedMap(new TreeMap<>(criticalOptions));
        extensions = Collections.unmodifiableSortedMap(new TreeMap<>(extensions));
    }

    /**
     * Decodes a {@code -cert.pub} line.
     *
     * @throws CertificateFormatException when it is not a user certificate MINA SSHD can decode
     */
    public static UserCertificate parse(String text) throws CertificateFormatException {
        PublicKeyLine line;
        try {
            line = PublicKeyLine.parse(text);
        } catch (KeyFormatException e) {
            throw new CertificateFormatException("not a certificate line: " + e.getMessage(), e);
        }
        if (!line.type().certificate()) {
            throw new CertificateFormatException("a " + line.typeName() + " key is not a certificate (want a *-cert-v01@openssh.com line, "
                    + "as ssh-keygen -s writes to KEY-cert.pub)");
        }
        PublicKey key;
        try {
            key = line.toPublicKey();
        } catch (KeyFormatException e) {
            throw new CertificateFormatException(e.getMessage(), e);
        }
        if (!(key instanceof OpenSshCertificate c)) {
            throw new CertificateFormatException("cannot decode the " + line.typeName() + " certificate");
        }
        if (c.getType() != OpenSshCertificate.Type.USER) {
            throw new CertificateFormatException("a host certificate, not a user certificate");
        }
        SortedMap<String, String> critical = new TreeMap<>();
        for (OpenSshCertificate.CertificateOption o : c.getCriticalOptions()) {
            if (critical.put(o.getName(), o.getData() == null ? "" : o.getData()) != null) {
                throw new CertificateFormatException("critical option " + o.getName() + " appears twice (sshd refuses the certificate)");
            }
        }
        SortedMap<String, String> ext = new TreeMap<>();
        for (OpenSshCertificate.CertificateOption o : c.getExtensions()) {
            ext.put(o.getName(), o.getData() == null ? "" : o.getData());
        }
        Optional<Instant> before = c.getValidBefore() == OpenSshCertificate.INFINITY
                ? Optional.empty() : Optional.of(CertificateTime.of(c.getValidBefore()));
        return new UserCertificate(line, c, c.getSerial(), c.getId(), List.copyOf(c.getPrincipals()),
                CertificateTime.of(c.getValidAfter()), before, critical, ext,
                PublicKeyLine.of(c.getCertPubKey(), "").fingerprint(), PublicKeyLine.of(c.getCaPubKey(), "").fingerprint());
    }

    /**
     * Reads a {@code -cert.pub} file (one line).
     *
     * @throws CertificateFormatException naming the file when it holds no user certificate
     */
    public static UserCertificate read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CertificateFormatException("certificate " + file + " does not exist", e);
        }
        try {
            return parse(text);
        } catch (CertificateFormatException e) {
            throw new CertificateFormatException(file + ": " + e.getMessage(), e);
        }
    }

    /** The serial as ssh-keygen prints it (unsigned). */
    public String serialText() {
        return Long.toUnsignedString(serial);
    }

    /** The {@code force-command} critical option, if any. */
    public Optional<String> forceCommand() {
        return Optional.ofNullable(criticalOptions.get(OpenSshCertificate.FORCE_COMMAND));
    }

    /** The {@code source-address} critical option, if any. */
    public Optional<String> sourceAddress() {
        return Optional.ofNullable(criticalOptions.get(OpenSshCertificate.SOURCE_ADDRESS));
    }

    /**
     * Why this certificate would not log in as {@code principal} at {@code now}, as a phrase to put
     * after the certificate's name ("expired at …", "is not valid before …", "is for …, not …"),
     * or empty when it would as far as the certificate alone says. Times in UTC. A null
     * {@code principal} checks validity only.
     */
    public Optional<String> problemAt(Instant now, String principal) {
        if (now.isBefore(validAfter)) {
            return Optional.of("is not valid before " + validAfter);
        }
        if (validBefore.isPresent() && !now.isBefore(validBefore.get())) {
            return Optional.of("expired at " + validBefore.get());
        }
        if (principal != null && !principals.contains(principal)) {
            return Optional.of("is for " + (principals.isEmpty() ? "no principal" : String.join(",", principals)) + ", not " + principal);
        }
        return Optional.empty();
    }
}
