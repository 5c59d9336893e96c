package dev.delegator.manifest;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A group several delegations join for a common path (manifest top-level {@code groups:}).
 * Created by apply when missing; an existing group of that name is used as it is.
 *
 * @param name a Linux group name
 * @param gid the gid to create it with; empty: from {@code gidRange}, else groupadd's choice
 */
public record SharedGroup(String name, OptionalInt gid) {
    public SharedGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(gid, "gid");
        if (!Names.isLinuxName(name)) {
            throw new IllegalArgumentException("group name (" + name + ") is not a valid Linux group name");
        }
    }
}
