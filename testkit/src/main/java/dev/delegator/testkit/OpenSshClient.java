package dev.delegator.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenSSH's own {@code ssh} client, configured so nothing of the machine leaks in: no config
 * file, no agent, only the given key, strict host-key checking against the given known_hosts.
 */
public record OpenSshClient(int port, String user, Path identity, Path knownHosts) {

    /** The argv for {@code ssh … user@127.0.0.1 [remote command]}, with extra options before the host. */
    public List<String> command(List<String> extraOptions, String remoteCommand) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", "/dev/null",
                "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none",
                "-o", "ConnectTimeout=10",
                "-i", identity.toString(),
                "-p", Integer.toString(port),
                "-l", user));
        argv.addAll(extraOptions);
        argv.add("127.0.0.1");
        if (remoteCommand != null) {
            argv.add(remoteCommand);
        }
        return argv;
    }

    /** Runs ssh and captures its result. */
    public CommandResult run(List<String> extraOptions, String remoteCommand) {
        return ExternalCommand.run(command(extraOptions, remoteCommand), Map.of(), new byte[0], Duration.ofSeconds(60));
    }

    public CommandResult run(String remoteCommand) {
        return run(List.of(), remoteCommand);
    }
}
