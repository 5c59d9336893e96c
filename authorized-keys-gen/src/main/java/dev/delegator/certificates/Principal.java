package dev.delegator.certificates;

/**
 * The one principal of a delegation's certificates, {@code delegator:<name>}: the CA signs it,
 * the delegate's AuthorizedPrincipalsFile lists it, the caller checks it before offering a
 * certificate. One principal per delegation, never a user name, so a certificate for delegation
 * A names nothing B's principals file accepts; never empty (an empty list meant "anyone" in
 * CVE-2024-7594's CA product). No space or comma can occur in it: sshd takes the principal after
 * the line's last space, ssh-keygen {@code -n} splits on commas.
 */
public final class Principal {
    private Principal() {}

    /** {@code delegator:<delegation>}. */
    public static String ofDelegation(String delegation) {
        if (delegation.isEmpty() || !delegation.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("delegation name (" + delegation + ") must match [a-z][a-z0-9-]*");
        }
        return "delegator:" + delegation;
    }
}
