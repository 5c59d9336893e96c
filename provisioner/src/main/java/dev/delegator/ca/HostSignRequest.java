package dev.delegator.ca;

import dev.delegator.keys.PublicKeyLine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link CertificateAuthority#signHost} certifies: one host's own public key for its names.
 *
 * @param names     the principals: every name and address callers connect to it by, exact
 *                  (callers match them as patterns, so a wildcard would vouch for other hosts)
 * @param publicKey the host's public key ({@code /etc/ssh/ssh_host_ed25519_key.pub}), not a certificate
 * @param validity  how long from now (between {@link #MIN_VALIDITY} and {@link #MAX_VALIDITY})
 * @param out       where the certificate is written ({@code <key>-cert.pub} by convention)
 */
public record HostSignRequest(List<String> names, PublicKeyLine publicKey, Duration validity, Path out) {
    /** The default: a month, renewed by signing again before it ends (a lost host is then distrusted within a month). */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);
    /** At least an hour: a host certificate is not a per-run credential. */
    public static final Duration MIN_VALIDITY = Duration.ofHours(1);
    /** At most a year: past that, a stolen host key stays trusted everywhere the @revoked line has not reached. */
    public static final Duration MAX_VALIDITY = Duration.ofDays(366);

    public HostSignRequest {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(out, "out");
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a host certificate needs at least one name (an empty list would vouch for any host)");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("host names " + names + " repeat a name");
        }
        for (String n : names) {
            nameProblem(n).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
        }
    }

    /**
     * Why {@code name} cannot be a principal of a host certificate: empty, a comma or whitespace
     * (ssh-keygen's list separators), a pattern character ({@code * ? !}: callers match principals as
     * patterns), upper case (ssh lower-cases the host it connects to, and the match is case-sensitive,
     * so such a name would never match), a control character, or brackets/port ({@code [h]:p}).
     */
    public static Optional<String> nameProblem(String name) {
        if (name.isEmpty()) {
            return Optional.of("a host name is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',' || Character.isWhitespace(c) || c < 0x20 || c == 0x7f) {
                return Optional.of("host name '" + name + "' holds a separator or control character");
            }
            if (c == '*' || c == '?' || c == '!') {
                return Optional.of("host name '" + name + "' is a pattern; sign exact names (a wildcard would vouch for other hosts)");
            }
            if (c == '[' || c == ']') {
                return Optional.of("host name '" + name + "' has brackets; give the bare name or address (the port does not belong in a principal)");
            }
            if (Character.isUpperCase(c)) {
                return Optional.of("host name '" + name + "' has upper case; ssh lower-cases the name it connects to, so write "
                        + name.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return Optional.empty();
    }
}
