package dev.delegator.certificates;

import dev.delegator.authorizedkeys.FromPattern;
import dev.delegator.authorizedkeys.UnsafeLineException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code source-address} critical option of a certificate, made from a delegation's
 * {@code from} list. sshd reads it with {@code addr_match_cidr_list}: addresses and CIDR networks
 * only, no wildcards, no {@code !} negation, no host names (auth-options.c, PROTOCOL.certkeys).
 * An entry that cannot be expressed is refused rather than dropped, since dropping a negation
 * would widen the certificate.
 */
public final class SourceAddress {
    private SourceAddress() {}

    /** Why {@code from} cannot become a {@code source-address}, or empty when it can. */
    public static Optional<String> problem(List<String> from) {
        if (from.isEmpty()) {
            return Optional.of("from is empty: a certificate without source-address would work from anywhere");
        }
        for (String entry : from) {
            FromPattern p;
            try {
                p = FromPattern.parse(entry, true);
            } catch (UnsafeLineException e) {
                return Optional.of(e.getMessage());
            }
            if (p.negated()) {
                return Optional.of("from entry \"" + entry + "\" is a negation, which a certificate's source-address cannot express "
                        + "(it takes addresses and CIDRs only): list the allowed networks instead");
            }
            if (p.kind() == FromPattern.Kind.WILDCARD || p.kind() == FromPattern.Kind.HOSTNAME) {
                return Optional.of("from entry \"" + entry + "\" is a " + (p.kind() == FromPattern.Kind.WILDCARD ? "wildcard" : "host name")
                        + ", which a certificate's source-address cannot express (it takes addresses and CIDRs only): write it as a CIDR");
            }
        }
        return Optional.empty();
    }

    /**
     * The option value: the entries joined by commas, as written.
     *
     * @throws IllegalArgumentException with {@link #problem(List)}'s message when {@code from} cannot be expressed
     */
    public static String of(List<String> from) {
        Optional<String> p = problem(from);
        if (p.isPresent()) {
            throw new IllegalArgumentException(p.get());
        }
        return String.join(",", new ArrayList<>(from));
    }
}
