/**
 * The authorized_keys format exactly as sshd reads it (auth-options.c, misc.c): the line grammar
 * ({@code LineParser}, keeping every line's original text), the renderer that writes only lines sshd
 * reads as intended ({@code LineRenderer}, {@code DelegationLine}), {@code from=} patterns
 * ({@code FromPattern}, the one grammar for the manifest and the line writer), expiry times, and
 * the linter. May use: {@code dev.delegator.keys}, {@code dev.delegator.files}, MINA's sshd-common.
 * Nothing else of delegator.
 */
package dev.delegator.authorizedkeys;
