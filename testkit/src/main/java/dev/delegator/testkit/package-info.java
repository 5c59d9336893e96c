/**
 * What the test suites of every module share: throwaway real accounts ({@link
 * dev.delegator.testkit.TestUsers}), root-owned test directories outside /tmp ({@link
 * dev.delegator.testkit.TestRoot}), prerequisites that skip locally and fail in CI ({@link
 * dev.delegator.testkit.Prerequisites}), the plain OpenSSH client, and the test view of
 * {@code dev.delegator.localsshd}: {@link dev.delegator.testkit.PrivateSshd}, {@link
 * dev.delegator.testkit.ExternalCommand} and {@link dev.delegator.testkit.FreePorts} run the same
 * sshd and programs the demo does, with the prerequisites checked first and failures as
 * {@link AssertionError}.
 *
 * <p>May use {@code dev.delegator.localsshd} and JUnit's API; test scope only: nothing shipped
 * may depend on this package (JUnit would end up in the CLI jar).
 */
package dev.delegator.testkit;
