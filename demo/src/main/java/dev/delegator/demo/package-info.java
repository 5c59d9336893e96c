/**
 * {@code delegator demo}: a push-to-deploy delegation shown working for real, and removed again.
 * As root ({@link dev.delegator.demo.RootDemo}): packages if missing, a private sshd, a caller
 * account, the real apply, an hg push whose hook deploys as the delegate, proofs that the key does
 * nothing else, cleanup (also on Ctrl-C), {@code --keep} and {@code --clean}
 * ({@link dev.delegator.demo.CleanAll}) through the run's state file. Without root
 * ({@link dev.delegator.demo.NoRootDemo}): sshd as the user, the dispatcher and {@code from=}.
 *
 * <p>May use: the manifest module (manifest, layout), the provisioner (plan/apply, accounts, sshd
 * and dispatcher config, the bundled scripts) and the formats library (authorized_keys lines),
 * exactly as {@code delegator apply} does; {@code dev.delegator.localsshd} for its sshd and every
 * program it runs (the same code the tests start their sshd with). Not picocli: the CLI's {@code DemoCommand} parses
 * the options, calls one entry point here and maps its result to an exit code. Not JUnit or
 * {@code dev.delegator.testkit}: this package ships in the CLI jar.
 */
package dev.delegator.demo;
