/**
 * SSH keys: the one public-key model ({@code PublicKeyLine}: {@code <type> <base64> [comment]}
 * read with sshd's checks by {@code KeyBlob}, and the one fingerprint), sshd's table of key types
 * ({@code KeyType}; {@code GeneratedKeyType} is the subset we generate, mapped onto it),
 * generating passwordless key pairs, and the one private-key policy ({@code KeyFiles}: owner-only
 * mode, not encrypted, exactly one key; a cheap read-and-check half and an expensive decode half).
 * May use: {@code dev.delegator.files}, MINA's sshd-common, BouncyCastle.
 */
package dev.delegator.keys;
