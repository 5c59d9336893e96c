/**
 * Every mutation is a plan: planners compare the manifest with the host and build steps; the
 * one executor ({@code Applier}) takes the lock, checks the snapshots and writes atomically.
 * May use every provisioner package, the manifest module and the formats library.
 */
package dev.delegator.plan;
