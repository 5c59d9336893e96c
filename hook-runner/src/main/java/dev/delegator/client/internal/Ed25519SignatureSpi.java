package dev.delegator.client.internal;

import java.security.InvalidKeyException;
import java.security.InvalidParameterException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.SignatureSpi;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.jcajce.interfaces.EdDSAPublicKey;

/**
 * Ed25519 signatures through BouncyCastle's lightweight API. BouncyCastle's own JCA signature
 * class constructs the complete BouncyCastleProvider on first use (hundreds of classes); this one
 * needs only the signer. Public because the JCA instantiates it by name.
 */
public final class Ed25519SignatureSpi extends SignatureSpi {
    private final Ed25519Signer signer = new Ed25519Signer();

    @Override
    protected void engineInitVerify(PublicKey publicKey) throws InvalidKeyException {
        if (!(publicKey instanceof EdDSAPublicKey k)) {
            throw new InvalidKeyException("not an ed25519 public key: " + publicKey.getClass().getName());
        }
        signer.init(false, new Ed25519PublicKeyParameters(k.getPointEncoding(), 0));
    }

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {
        AsymmetricKeyParameter p;
        try {
            p = PrivateKeyFactory.createKey(privateKey.getEncoded());
        } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidKeyException("cannot read the ed25519 private key: " + e.getMessage(), e);
        }
        if (!(p instanceof Ed25519PrivateKeyParameters)) {
            throw new InvalidKeyException("not an ed25519 private key: " + p.getClass().getName());
        }
        signer.init(true, p);
    }

    @Override
    protected void engineUpdate(byte b) {
        signer.update(b);
    }

    @Override
    protected void engineUpdate(byte[] b, int off, int len) {
        signer.update(b, off, len);
    }

    @Override
    protected byte[] engineSign() throws SignatureException {
        try {
            return signer.generateSignature();
        } catch (RuntimeException e) {
            throw new SignatureException(e.getMessage(), e);
        }
    }

    @Override
    protected boolean engineVerify(byte[] sig) {
        return signer.verifySignature(sig);
    }

    @Override
    @Deprecated
    protected void engineSetParameter(String param, Object value) {
        throw new InvalidParameterException("no parameters");
    }

    @Override
    @Deprecated
    protected Object engineGetParameter(String param) {
        throw new InvalidParameterException("no parameters");
    }
}
