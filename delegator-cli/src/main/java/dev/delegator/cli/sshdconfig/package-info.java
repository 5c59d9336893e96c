/**
 * {@code delegator sshd-config lint}: a thin command over {@code dev.delegator.sshdconfig.ClientEnvironment},
 * the same rule plan and apply use.
 */
package dev.delegator.cli.sshdconfig;
