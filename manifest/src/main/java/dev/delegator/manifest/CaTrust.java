package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The manifest's top-level {@code ca:}: the user CA keys delegate hosts trust for
 * {@code auth: certificate} delegations, and the KRL apply installs.
 *
 * @param keys the trusted CA public key lines ({@code type base64 [comment]}), at least one; two during a rotation
 * @param krl  the KRL file apply installs as sshd's RevokedKeys ({@code delegator ca revoke} writes it);
 *             empty, or a file that does not exist yet, installs an empty KRL
 */
public record CaTrust(List<String> keys, Optional<Path> krl) {
    public CaTrust {
        keys = List.copyOf(keys);
        Objects.requireNonNull(krl, "krl");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("ca.keys needs at least one CA public key");
        }
    }
}
