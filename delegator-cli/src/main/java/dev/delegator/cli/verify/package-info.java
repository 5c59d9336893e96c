/**
 * {@code delegator verify}: the caller side's probe ({@code dev.delegator.client.DelegationProber})
 * and, on the delegate host, the host's view ({@code dev.delegator.plan.HostView}), put side by side
 * per delegation. The two libraries never use each other (the caller side never uses provisioning),
 * so this command is where they meet.
 */
package dev.delegator.cli.verify;
