/**
 * System accounts and groups: reading them, creating delegate users (shell /bin/sh, password
 * {@code *}: not locked) through {@code useradd}. May use: {@code dev.delegator.manifest},
 * {@code dev.delegator.systemtools}.
 */
package dev.delegator.accounts;
