/**
 * The sshd drop-in ({@code Match Group delegator}) and running sshd's own checks
 * ({@code sshd -t}, {@code sshd -T -C}). May use: {@code dev.delegator.layout},
 * {@code dev.delegator.systemtools}.
 */
package dev.delegator.sshdconfig;
