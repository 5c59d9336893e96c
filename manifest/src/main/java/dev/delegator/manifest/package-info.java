/**
 * The delegation manifest: immutable records ({@code Manifest}, {@code Delegation}, {@code Verb},
 * …) and the loader that reports every problem with file:line:column. SSH values (keys,
 * {@code from=}, hosts) are validated by calling the formats library, never by rules of its own.
 * May use: {@code dev.delegator.authorizedkeys}, {@code dev.delegator.keys},
 * {@code dev.delegator.knownhosts}, SnakeYAML.
 */
package dev.delegator.manifest;
