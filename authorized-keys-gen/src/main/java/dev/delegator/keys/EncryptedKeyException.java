package dev.delegator.keys;

import java.io.IOException;

/**
 * The private key is protected by a passphrase. Delegations connect unattended (from a hook or a
 * CI job), so they need a key without one; the message says how to make one.
 */
public class EncryptedKeyException extends IOException {
    private final String origin;

    /** @param origin where the key came from: its path, or e.g. "environment variable NAME" */
    public EncryptedKeyException(String origin) {
        super(origin + " is encrypted with a passphrase; delegations run unattended and need a key without one"
                + " (create one with: delegator keygen --out PATH, or remove the passphrase with: ssh-keygen -p -N '' -f "
                + (origin.startsWith("/") ? origin : "FILE") + ")");
        this.origin = origin;
    }

    /** Where the key came from, as given. */
    public String origin() {
        return origin;
    }
}
