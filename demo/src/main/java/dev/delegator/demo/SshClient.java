package dev.delegator.demo;

import dev.delegator.localsshd.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plain OpenSSH client with one identity and one pinned known_hosts, nothing from
 * {@code ~/.ssh} ({@code -F /dev/null}, IdentitiesOnly, strict host-key checking, batch mode).
 *
 * @param user the account to run ssh as (empty: the current one)
 * @param home HOME for ssh
 */
record SshClient(Optional<String> user, Path home, Path identity, Path knownHosts, String host, int port, String login) {
    Command.Result run(List<String> options, String request) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-4", "-p", Integer.toString(port),
                "-i", identity.toString(), "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10"));
        argv.addAll(options);
        argv.add(login + "@" + host);
        if (request != null) {
            argv.add(request);
        }
        Command c = Command.of(argv).env("HOME", home.toString()).timeout(Duration.ofSeconds(30)).holdStdinOpen();
        user.ifPresent(c::as);
        return c.run();
    }
}
