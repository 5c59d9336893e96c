package dev.delegator.client.internal;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.util.security.AbstractSecurityProviderRegistrar;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.util.security.eddsa.bouncycastle.BouncyCastleEdDSASupport;
import org.apache.sshd.common.util.security.eddsa.generic.EdDSASupport;

/**
 * Gives MINA SSHD ed25519 from BouncyCastle without registering the whole BouncyCastle provider.
 *
 * <p>Why: MINA's default registrar constructs {@code BouncyCastleProvider}, which loads and
 * configures hundreds of algorithm classes (about 100 ms of a 0.5 s run, even from a CDS archive),
 * and then prefers BouncyCastle for every cipher, digest and MAC, which are pure Java there while
 * the JDK's use AES-NI/CLMUL intrinsics (throughput). The JDK 17 providers do everything an SSH
 * session needs except ed25519, so this registrar offers only BouncyCastle's ed25519 key factory,
 * key-pair generator and signature (a three-entry provider), and the BouncyCastle registrar is
 * switched off. MINA's security registry is process-wide; {@link #install()} is idempotent.
 */
public final class Ed25519Crypto extends AbstractSecurityProviderRegistrar {
    static final String NAME = "delegator-ed25519";
    private static final String FIRST_JDK_PROVIDER = "SUN";
    private static final Set<String> ALGORITHMS = Set.of("ED25519", "EDDSA", "1.3.101.112");
    private static volatile boolean installed;

    private Ed25519Crypto() {
        super(NAME);
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        if (!SecurityUtils.isProviderRegistered(SecurityUtils.BOUNCY_CASTLE)) {
            SecurityUtils.setAPrioriDisabledProvider(SecurityUtils.BOUNCY_CASTLE, true);
            SecurityUtils.registerSecurityProvider(new Ed25519Crypto());
        }
        installed = true;
    }

    @Override
    public boolean isSupported() {
        return true;
    }

    /**
     * The name MINA checks with {@code Security.getProvider(name)} before registering, to skip a
     * provider the JCA already has. That lookup instantiates every configured JDK provider in turn
     * (PKCS#11, XML signatures, LDAP, SASL...) to compare names, about 10 ms of CPU a run for a
     * provider that is never added to the JCA list ({@link #isNamedProviderUsed()} is false: MINA
     * uses {@link #getSecurityProvider()} directly). Naming the JDK's first provider answers the
     * check at once; MINA registers this registrar either way, and the name is used for nothing
     * else.
     */
    @Override
    public String getProviderName() {
        return FIRST_JDK_PROVIDER;
    }

    @Override
    public Provider getSecurityProvider() {
        return Slim.INSTANCE;
    }

    @Override
    public boolean isNamedProviderUsed() {
        return false;
    }

    @Override
    public String getDefaultSecurityEntitySupportValue(Class<?> entityType) {
        return "Ed25519,EdDSA";
    }

    @Override
    public boolean isSecurityEntitySupported(Class<?> entityType, String name) {
        boolean kind = KeyFactory.class.isAssignableFrom(entityType) || KeyPairGenerator.class.isAssignableFrom(entityType)
                || java.security.Signature.class.isAssignableFrom(entityType);
        return kind && name != null && ALGORITHMS.contains(name.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public Optional<EdDSASupport<?, ?>> getEdDSASupport() {
        return Optional.of(new BouncyCastleEdDSASupport());
    }

    /** BouncyCastle's ed25519 SPIs, and nothing else. */
    private static final class Slim extends Provider {
        private static final long serialVersionUID = 1L;
        static final Slim INSTANCE = new Slim();
        private static final String EDEC = "org.bouncycastle.jcajce.provider.asymmetric.edec.";

        private Slim() {
            super(NAME, "1.0", "BouncyCastle ed25519 only, for delegator's SSH client");
            put("KeyFactory.Ed25519", EDEC + "KeyFactorySpi$Ed25519");
            put("KeyFactory.EdDSA", EDEC + "KeyFactorySpi$EdDSA");
            put("KeyPairGenerator.Ed25519", EDEC + "KeyPairGeneratorSpi$Ed25519");
            put("KeyPairGenerator.EdDSA", EDEC + "KeyPairGeneratorSpi$EdDSA");
            // BouncyCastle's SignatureSpi would construct the full provider: ours uses the bare signer
            put("Signature.Ed25519", Ed25519SignatureSpi.class.getName());
            put("Signature.EdDSA", Ed25519SignatureSpi.class.getName());
        }
    }
}
