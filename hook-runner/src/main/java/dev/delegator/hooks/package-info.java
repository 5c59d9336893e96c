/**
 * VCS hooks: turning hg's changegroup and git's post-receive input into requests, and installing
 * the hooks idempotently. May use: {@code dev.delegator.client}.
 */
package dev.delegator.hooks;
