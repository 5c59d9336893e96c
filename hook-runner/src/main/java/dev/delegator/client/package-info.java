/**
 * The caller's SSH client, public API: {@code DelegationRunner} runs a {@code RunRequest} on a
 * {@code DelegationTarget} and returns a {@code RunResult} (exit status by DESIGN.md's rule: the
 * remote status, 128+N, 124, 255); {@code DelegationProber} connects the same way and tries what a
 * leaked key would ({@code delegator verify}). Everything MINA-specific lives in
 * {@code dev.delegator.client.internal}, which no other module may use.
 * May use: {@code dev.delegator.knownhosts}, MINA SSHD.
 */
package dev.delegator.client;
