/**
 * Naming the hosts a caller connects to: {@code HostPort}, the one reader and printer of
 * {@code host}, {@code host:port} and {@code [address]:port} (IPv6 always in brackets), and the
 * known_hosts host pattern; {@code KnownHosts}, the one reader of known_hosts (pins,
 * {@code @revoked} and {@code @cert-authority} per host); {@code HostPatterns}, OpenSSH's pattern rules
 * (match.c); {@code HostCertificateCheck}, the judgement of a host certificate that MINA leaves to us.
 * May use: {@code dev.delegator.keys} (fingerprints), MINA's sshd-common.
 */
package dev.delegator.knownhosts;
