/**
 * {@code delegator keygen}: a thin command over {@code dev.delegator.keys}.
 */
package dev.delegator.cli.keys;
