/**
 * Internal to hook-runner's client: MINA SSHD subclasses and settings (restricted algorithms, the
 * pinned-host-key verifier, host-key algorithm order, quick-ACK connections), key and known_hosts
 * loading, output relaying. Not API: only {@code dev.delegator.client} uses it (an ArchUnit rule
 * keeps it so), as JGit keeps {@code internal.transport.sshd} apart from {@code transport.sshd}.
 */
package dev.delegator.client.internal;
