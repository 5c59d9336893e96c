/**
 * Naming the hosts a caller connects to: {@code HostPort}, the one reader and printer of
 * {@code host}, {@code host:port} and {@code [address]:port} (IPv6 always in brackets), and the
 * known_hosts host pattern. May use: the JDK only.
 */
package dev.delegator.knownhosts;
