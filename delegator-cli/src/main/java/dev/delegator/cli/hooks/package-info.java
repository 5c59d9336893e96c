/**
 * {@code delegator hook hg|git|install}: thin commands over {@code dev.delegator.hooks} and
 * {@code dev.delegator.invocation}.
 */
package dev.delegator.cli.hooks;
