package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The per-task account the work runs as.
 *
 * @param user its Linux user name; created by apply (system account, shell /bin/sh, password {@code *})
 * @param home its home directory, created owned by the delegate (its writable work area)
 * @param uid the uid to create it with; empty: from {@code uidRange}, else useradd's choice
 * @param groups extra groups it joins besides {@code delegator} (shared groups, or existing groups)
 */
public record DelegateSpec(String user, Path home, OptionalInt uid, List<String> groups) {
    public DelegateSpec {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(uid, "uid");
        groups = List.copyOf(groups);
        if (!Names.isLinuxName(user)) {
            throw new IllegalArgumentException("delegate user (" + user + ") is not a valid Linux user name");
        }
        if (!Names.isAbsoluteNormalPath(home.toString())) {
            throw new IllegalArgumentException("delegate home (" + home + ") must be an absolute normalized path");
        }
    }
}
