package dev.delegator.keys;

import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Checks that MINA SSHD can do ed25519. MINA registers BouncyCastle by itself when BouncyCastle
 * is on the class path (its default security-provider registrars; no system property needed),
 * and only then can it generate, read and write ed25519 keys, even on Java 17 (SECURITY.md).
 */
final class SshCrypto {
    private SshCrypto() {}

    static void requireEd25519Support() {
        if (!SecurityUtils.isEDDSACurveSupported()) {
            throw new IllegalStateException("ed25519 is not available: BouncyCastle (bcprov) is missing from the class path"
                    + " (registered providers: " + SecurityUtils.getRegisteredProviders() + ")");
        }
    }
}
