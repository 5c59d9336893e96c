/**
 * The demo: a real push-to-deploy as a delegate on a private sshd, with the proofs that the key
 * can do nothing else, and its cleanup. May use every library module; not picocli.
 */
package dev.delegator.demo;
