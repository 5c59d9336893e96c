/**
 * Running a delegation as {@code run} and the hooks do: resolving a NAME through the manifest and
 * the provisioned caller directory, or the explicit form ({@code DelegationResolver}), then the
 * runner, the fan-out, the audit log and Ctrl-C/SIGTERM as cancellation ({@code Invocation}).
 * May use: {@code dev.delegator.client}, {@code dev.delegator.fanout}, {@code dev.delegator.audit},
 * the manifest module.
 */
package dev.delegator.invocation;
