/**
 * Real OpenSSH and other real programs on this machine, for whoever must run them without a test
 * framework: {@link dev.delegator.localsshd.LocalSshd} (a private sshd on 127.0.0.1 with its own
 * config, host key and log, as root or as an ordinary user), {@link dev.delegator.localsshd.Command}
 * (one program: fixed argv, clean environment, optional account, time limit) and
 * {@link dev.delegator.localsshd.FreePorts}.
 *
 * <p>Used by the demo (shipped in the CLI jar) and, through {@code dev.delegator.testkit}, by the
 * test suites, so both exercise the same sshd setup. May use only the JDK: no JUnit (it would end
 * up in the shipped jar), nothing else of ours.
 */
package dev.delegator.localsshd;
