package dev.delegator.keys;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The key types delegator generates (the {@code keygen --type} choice): ed25519 (the default),
 * ecdsa and rsa. Each maps onto the one table of key types sshd knows, {@link KeyType}, by
 * {@link #keyType(int)}.
 */
public enum GeneratedKeyType {
    /** Fixed size (256); the default: small, fast, and what every current OpenSSH accepts. */
    ED25519("ed25519", KeyType.ED25519, "ED25519", 256),
    /** NIST curves; 256, 384 or 521 bits (default 256). */
    ECDSA("ecdsa", null, "ECDSA", 256),
    /** At least 3072 bits (default 3072), for peers without ed25519. */
    RSA("rsa", KeyType.RSA, "RSA", 3072);

    private final String cliName;
    private final KeyType fixedType;
    private final String label;
    private final int defaultBits;

    GeneratedKeyType(String cliName, KeyType fixedType, String label, int defaultBits) {
        this.cliName = cliName;
        this.fixedType = fixedType;
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

    /**
     * The sshd key type of a key of this type and size, e.g. {@link KeyType#ECDSA_NISTP384}.
     *
     * @throws IllegalArgumentException for an ecdsa size that is no curve
     */
    public KeyType keyType(int bits) {
        if (fixedType != null) {
            return fixedType;
        }
        return KeyType.fromSshName("ecdsa-sha2-nistp" + bits)
                .orElseThrow(() -> new IllegalArgumentException("ecdsa keys are 256, 384 or 521 bits, not " + bits));
    }

    /** The SSH key type name of a key of this type and size, e.g. {@code ecdsa-sha2-nistp384}. */
    public String sshName(int bits) {
        return keyType(bits).sshName();
    }

    /**
     * Parses a type name as given on a command line, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static GeneratedKeyType parse(String name) {
        for (GeneratedKeyType t : values()) {
            if (t.cliName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + name + "': use one of "
                + Arrays.stream(values()).map(GeneratedKeyType::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
