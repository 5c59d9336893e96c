/**
 * SSH keys: generating passwordless key pairs, the public-key line of a {@code .pub} file and its
 * fingerprint, and loading a private key with the checks a delegation needs (owner-only mode,
 * not encrypted, exactly one key). May use: {@code dev.delegator.files}, MINA's sshd-common,
 * BouncyCastle.
 */
package dev.delegator.keys;
