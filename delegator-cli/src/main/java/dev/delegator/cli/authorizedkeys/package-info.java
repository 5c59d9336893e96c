/**
 * {@code delegator authorized-keys line|lint}: thin commands over {@code dev.delegator.authorizedkeys}.
 */
package dev.delegator.cli.authorizedkeys;
