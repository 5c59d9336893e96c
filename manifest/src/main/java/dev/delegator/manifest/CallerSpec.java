package dev.delegator.manifest;

import java.util.Objects;

/**
 * Who starts the delegation: the caller account and the host it runs on.
 *
 * @param user the caller's Linux account (hg, git, a CI runner)
 * @param host the host the caller runs on; {@code localhost} (the default) for this machine
 */
public record CallerSpec(String user, String host) {
    public CallerSpec {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        if (!Names.isLinuxName(user)) {
            throw new IllegalArgumentException("caller user (" + user + ") is not a valid Linux user name");
        }
    }
}
