package dev.delegator.keys;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types delegator generates: ed25519 (the default), ecdsa and rsa. */
public enum KeyType {
    /** Fixed size (256); the default: small, fast, and what every current OpenSSH accepts. */
    ED25519("ed25519", "ssh-ed25519", "ED25519", 256),
    /** NIST curves; 256, 384 or 521 bits (default 256). */
    ECDSA("ecdsa", null, "ECDSA", 256),
    /** At least 3072 bits (default 3072), for peers without ed25519. */
    RSA("rsa", "ssh-rsa", "RSA", 3072);

    private final String cliName;
    private final String sshName;
    private final String label;
    private final int defaultBits;

    KeyType(String cliName, String sshName, String label, int defaultBits) {
        this.cliName = cliName;
        this.sshName = sshName;
        this.label = label;
        this.defaultBits = defaultBits;
    }

    /** The lowercase name used on the command line and by {@code ssh-keygen -t}. */
    public String cliName() {
        return cliName;
    }

    /** The label {@code ssh-keygen -l} prints in parentheses, e.g. {@code ED25519}. */
    public String label() {
        return label;
    }

    /** The size used when none is asked for. */
    public int defaultBits() {
        return defaultBits;
    }

    /** The SSH key type name of a key of this type and size, e.g. {@code ecdsa-sha2-nistp384}. */
    public String sshName(int bits) {
        return this == ECDSA ? "ecdsa-sha2-nistp" + bits : sshName;
    }

    /**
     * Parses a type name as given on a command line, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static KeyType parse(String name) {
        for (KeyType t : values()) {
            if (t.cliName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "': use one of "
                + Arrays.stream(values()).map(KeyType::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
