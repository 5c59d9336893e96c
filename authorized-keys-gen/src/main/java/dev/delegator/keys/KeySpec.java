package dev.delegator.keys;

import java.util.Objects;

/**
 * What key to generate: a type and a size in bits, checked when built. A size of 0 means the
 * type's default. ed25519 has one size (256); any other value is ignored, as ssh-keygen does.
 * ecdsa takes 256, 384 or 521. rsa takes 3072 to 16384 (OpenSSH's own maximum); smaller RSA
 * keys are refused because they no longer meet current guidance (NIST SP 800-57: 3072 bits for
 * security beyond 2030).
 *
 * @param type the key type
 * @param bits the size, or 0 for the type's default
 */
public record KeySpec(GeneratedKeyType type, int bits) {
    /** Largest RSA modulus OpenSSH accepts (SSHBUF_MAX_BIGNUM * 8). */
    public static final int RSA_MAX_BITS = 16384;
    /** Smallest RSA modulus delegator generates. */
    public static final int RSA_MIN_BITS = 3072;

    public KeySpec {
        Objects.requireNonNull(type, "type");
        if (bits == 0 || type == GeneratedKeyType.ED25519) {
            bits = type.defaultBits();
        }
        switch (type) {
            case ECDSA -> {
                if (bits != 256 && bits != 384 && bits != 521) {
                    throw new IllegalArgumentException("ecdsa keys are 256, 384 or 521 bits, not " + bits);
                }
            }
            case RSA -> {
                if (bits < RSA_MIN_BITS) {
                    throw new IllegalArgumentException("rsa keys need at least " + RSA_MIN_BITS + " bits, not " + bits);
                }
                if (bits > RSA_MAX_BITS) {
                    throw new IllegalArgumentException("rsa keys are at most " + RSA_MAX_BITS + " bits (OpenSSH's limit), not " + bits);
                }
            }
            case ED25519 -> { }
        }
    }

    /** The type with its default size. */
    public static KeySpec of(GeneratedKeyType type) {
        return new KeySpec(type, 0);
    }

    /** The default key: ed25519. */
    public static KeySpec ed25519() {
        return of(GeneratedKeyType.ED25519);
    }

    /** The SSH key type name, e.g. {@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, {@code ssh-rsa}. */
    public String sshName() {
        return type.sshName(bits);
    }
}
