package dev.delegator.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded and validated delegation manifest (see README "## Manifest"). Delegations are in
 * document order; names, delegate users (per host) and shared groups are unique.
 *
 * @param source where it was loaded from (for messages)
 * @param version the format version, 1
 * @param uidRange where delegate uids are allocated from when a delegation gives none
 * @param gidRange where group ids are allocated from when a group gives none
 * @param groups shared groups
 * @param delegations the delegations
 * @param ca the trusted user CA keys and KRL, needed by {@code auth: certificate} delegations
 */
public record Manifest(String source, int version, Optional<IdRange> uidRange, Optional<IdRange> gidRange,
                       List<SharedGroup> groups, List<Delegation> delegations, Optional<CaTrust> ca,
                       Optional<HostCertificates> hostCertificates) {
    /** A manifest without {@code hostCertificates:}. */
    public Manifest(String source, int version, Optional<IdRange> uidRange, Optional<IdRange> gidRange,
                    List<SharedGroup> groups, List<Delegation> delegations, Optional<CaTrust> ca) {
        this(source, version, uidRange, gidRange, groups, delegations, ca, Optional.empty());
    }

    /** A manifest without {@code ca:}. */
    public Manifest(String source, int version, Optional<IdRange> uidRange, Optional<IdRange> gidRange,
                    List<SharedGroup> groups, List<Delegation> delegations) {
        this(source, version, uidRange, gidRange, groups, delegations, Optional.empty());
    }

    public Manifest {
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(hostCertificates, "hostCertificates");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(uidRange, "uidRange");
        Objects.requireNonNull(gidRange, "gidRange");
        groups = List.copyOf(groups);
        delegations = List.copyOf(delegations);
        if (version != 1) {
            throw new IllegalArgumentException("manifest version (" + version + ") must be 1");
        }
        for (Delegation d : delegations) {
            if (d.auth() == Auth.CERTIFICATE && ca.isEmpty()) {
                throw new IllegalArgumentException("delegation " + d.name() + " has auth: certificate but the manifest has no ca:");
            }
        }
    }

    /** The delegation with this name, if any. */
    public Optional<Delegation> delegation(String name) {
        return delegations.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
