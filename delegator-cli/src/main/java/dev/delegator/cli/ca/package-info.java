/**
 * {@code delegator ca init|sign|revoke}: thin commands over the provisioner's {@code dev.delegator.ca}.
 */
package dev.delegator.cli.ca;
