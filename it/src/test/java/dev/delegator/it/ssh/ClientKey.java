package dev.delegator.it.ssh;

import dev.delegator.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A caller's key pair made by OpenSSH's own ssh-keygen (ed25519, no passphrase), as a test's
 * stand-in for the key {@code delegator apply} will generate.
 *
 * @param privateKey the private key file (0600, owned by the test process)
 * @param publicKey  the public key as {@code ssh-ed25519 AAAA…} without a comment
 */
public record ClientKey(Path privateKey, String publicKey) {
    public ClientKey {
        if (!publicKey.startsWith("ssh-ed25519 ") || publicKey.contains("\n")) {
            throw new IllegalArgumentException("publicKey (" + publicKey + ") must be one ssh-ed25519 key");
        }
    }

    /** Generates {@code dir/name} and {@code dir/name.pub}. */
    public static ClientKey generate(Path dir, String name) {
        Path key = dir.resolve(name);
        ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", key.toString());
        try {
            String[] parts = Files.readString(dir.resolve(name + ".pub")).trim().split("\\s+");
            return new ClientKey(key, parts[0] + " " + parts[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
