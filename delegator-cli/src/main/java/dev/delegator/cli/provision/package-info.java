/**
 * {@code delegator plan|apply|revoke|list}: thin commands over the provisioner's
 * {@code dev.delegator.plan}; the options every one of them shares ({@code ProvisionOptions}).
 */
package dev.delegator.cli.provision;
