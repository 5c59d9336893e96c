/**
 * The dispatcher's per-delegation config file, rendered from the manifest. May use:
 * {@code dev.delegator.manifest}.
 */
package dev.delegator.dispatchconfig;
