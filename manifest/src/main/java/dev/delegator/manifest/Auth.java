package dev.delegator.manifest;

/**
 * How a delegation's caller authenticates to its delegate ({@code auth:} in the manifest).
 */
public enum Auth {
    /** The default: the caller's public key in the delegate's authorized_keys line. */
    KEY,
    /**
     * A short-lived certificate signed by a CA the manifest's {@code ca.keys} lists; the delegate
     * host keeps an AuthorizedPrincipalsFile line instead of the caller's key.
     */
    CERTIFICATE;

    /** The manifest's spelling: {@code key} or {@code certificate}. */
    public String spelling() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
