/**
 * Connection reuse (README "Connection reuse"): the caller's agent, a background process per caller
 * uid that keeps authenticated connections open and runs {@code run} and hook requests on them, and
 * the light client that hands a request to it over a Unix socket. The light path
 * ({@link dev.delegator.cli.agent.LightClient}, {@link dev.delegator.cli.agent.Frames},
 * {@link dev.delegator.cli.agent.AgentDirectory}) uses the JDK only: no MINA, no picocli, no YAML
 * is loaded when an agent answers. The agent runs the very commands of {@code dev.delegator.cli}
 * with the request's arguments, so parsing, errors and exit statuses are the same in both modes.
 */
package dev.delegator.cli.agent;
