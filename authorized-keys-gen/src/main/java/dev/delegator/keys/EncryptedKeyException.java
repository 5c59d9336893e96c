package dev.delegator.keys;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The private key is protected by a passphrase. Delegations connect unattended (from a hook or a
 * CI job), so they need a key without one; the message says how to make one.
 */
public class EncryptedKeyException extends IOException {
    private final Path path;

    public EncryptedKeyException(Path path) {
        super(path + " is encrypted with a passphrase; delegations run unattended and need a key without one"
                + " (create one with: delegator keygen --out PATH, or remove the passphrase with: ssh-keygen -p -N '' -f " + path + ")");
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
