/**
 * The delegator user CA: {@code ca init} (an ed25519 key, root 0600 in a root 0700 directory),
 * {@code ca sign} (a short-lived certificate for one delegation, signed by {@code ssh-keygen -s},
 * checked after signing, logged) and {@code ca revoke} (the KRL, written by {@code ssh-keygen -k}).
 * OpenSSH's own ssh-keygen signs and writes KRLs because it is the reference implementation sshd
 * is tested against, and no Java library writes KRLs. May use: the formats library
 * ({@code certificates}, {@code keys}, {@code files}), {@code systemtools}, Gson.
 */
package dev.delegator.ca;
