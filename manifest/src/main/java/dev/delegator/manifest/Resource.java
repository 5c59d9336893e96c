package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A path apply creates and keeps at the declared owner and mode.
 *
 * @param path absolute normalized path
 * @param mode permission bits 0000-0777 (setuid, setgid and sticky are refused)
 * @param owner {@code delegate} (the default) or {@code root}
 * @param group the group to own it; empty: the owner's primary group
 * @param kind {@code dir} (the default) or {@code file}
 */
public record Resource(Path path, int mode, Owner owner, Optional<String> group, Kind kind) {
    public enum Owner { DELEGATE, ROOT }

    public enum Kind { DIR, FILE }

    public Resource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(kind, "kind");
        if (!Names.isAbsoluteNormalPath(path.toString()) || path.getNameCount() < 1) {
            throw new IllegalArgumentException("resource path (" + path + ") must be an absolute normalized path below /");
        }
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("resource mode (" + String.format("%04o", mode) + ") may only hold permission bits (0000-0777): no setuid, setgid or sticky");
        }
        group.ifPresent(g -> {
            if (!Names.isLinuxName(g)) {
                throw new IllegalArgumentException("resource group (" + g + ") is not a valid Linux group name");
            }
        });
    }

    /** Mode as four octal digits, e.g. {@code 0750}. */
    public String modeText() {
        return String.format("%04o", mode);
    }
}
