/**
 * Running the system tools provisioning relies on ({@code useradd}, {@code sshd}, …) with a
 * bounded time and their stderr in the failure. May use: the JDK only.
 */
package dev.delegator.systemtools;
