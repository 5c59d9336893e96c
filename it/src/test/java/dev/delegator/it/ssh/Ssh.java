package dev.delegator.it.ssh;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An invocation of OpenSSH's own {@code ssh} client against one server, isolated from the machine:
 * no config file ({@code -F /dev/null}), only the given key, strict host-key checking against the
 * given known_hosts, no agent unless {@link #withAgent(Path)} asks for one. Immutable: each
 * {@code with…} returns a new invocation. Unlike testkit's {@code OpenSshClient} it can forward an
 * agent, bind a source address and set the client's environment, which the security matrix needs.
 */
public record Ssh(String host, int port, String user, Path identity, Path knownHosts,
                  List<String> options, Map<String, String> environment, Path agentSocket) {
    /** A safety net against a hung test, not a performance assertion. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    public Ssh {
        options = List.copyOf(options);
        environment = Map.copyOf(environment);
    }

    /** {@code ssh -p port -i identity user@host} with strict checking against {@code knownHosts}. */
    public static Ssh to(String host, int port, String user, Path identity, Path knownHosts) {
        return new Ssh(host, port, user, identity, knownHosts, List.of(), Map.of(), null);
    }

    /** Adds raw ssh arguments (e.g. {@code -L 1234:127.0.0.1:22}) before the host. */
    public Ssh with(String... extra) {
        List<String> all = new ArrayList<>(options);
        all.addAll(List.of(extra));
        return new Ssh(host, port, user, identity, knownHosts, all, environment, agentSocket);
    }

    /** Sets a variable in the client's environment (e.g. DISPLAY for -X). */
    public Ssh env(String name, String value) {
        Map<String, String> all = new HashMap<>(environment);
        all.put(name, value);
        return new Ssh(host, port, user, identity, knownHosts, options, all, agentSocket);
    }

    /** Forwards the agent at {@code socket} ({@code -A}); without this the client uses no agent at all. */
    public Ssh withAgent(Path socket) {
        return new Ssh(host, port, user, identity, knownHosts, options, environment, socket).with("-A");
    }

    /** The argv; {@code remoteCommand} null means a shell request (no command). */
    public List<String> argv(String remoteCommand) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", "/dev/null",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10",
                "-o", "IdentityAgent=" + (agentSocket == null ? "none" : agentSocket.toString()),
                "-i", identity.toString(),
                "-p", Integer.toString(port),
                "-l", user));
        argv.addAll(options);
        argv.add(host);
        if (remoteCommand != null) {
            argv.add(remoteCommand);
        }
        return argv;
    }

    /** The client's environment: the given variables, and SSH_AUTH_SOCK only when an agent is wanted. */
    Map<String, String> processEnvironment() {
        Map<String, String> env = new HashMap<>(environment);
        if (agentSocket != null) {
            env.put("SSH_AUTH_SOCK", agentSocket.toString());
        }
        return env;
    }

    /** Runs to completion with empty stdin. */
    public CommandResult run(String remoteCommand) {
        return ExternalCommand.run(argv(remoteCommand), processEnvironment(), new byte[0], TIMEOUT);
    }

    /**
     * Starts the client and keeps its stdin open, so the session stays up while the test pokes at
     * what it set up (a forwarded port); {@link HeldSession#release()} ends it.
     */
    public HeldSession hold(String remoteCommand) {
        return HeldSession.start(argv(remoteCommand), processEnvironment());
    }
}
