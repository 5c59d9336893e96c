/**
 * sshd's configuration as delegator needs it: the drop-in for delegates ({@link dev.delegator.sshdconfig.DropIn}),
 * sshd asked about its own config ({@code sshd -t}, {@code sshd -T -C}: {@link dev.delegator.sshdconfig.Sshd}),
 * and the settings that let environment reach a delegate ({@link dev.delegator.sshdconfig.ClientEnvironment}).
 * Uses only the JDK, {@code dev.delegator.layout} and {@code dev.delegator.systemtools}.
 */
package dev.delegator.sshdconfig;
