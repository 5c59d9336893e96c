/**
 * OpenSSH user certificates as delegator reads them: the parsed certificate
 * ({@link dev.delegator.certificates.UserCertificate}: principals, validity, critical options,
 * extensions, serial, key id), the check a caller makes before it offers one, and the
 * {@code source-address} value a delegation's {@code from} becomes. Signing and revoking are
 * the provisioner's ({@code dev.delegator.ca}); this package only reads. May use:
 * {@code dev.delegator.keys}, {@code dev.delegator.authorizedkeys}, MINA's sshd-common.
 */
package dev.delegator.certificates;
