package dev.delegator.it.ansible;

import dev.delegator.it.container.ContainerHost;
import dev.delegator.it.ssh.ClientKey;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test machine as an Ansible controller for container hosts: Debian's {@code ansible-playbook}
 * (ansible-core, no Galaxy content) running the repository's {@code contrib/ansible/site.yml} with
 * its {@code delegator} role, over ansible's ssh connection as root into each container with a
 * key of its own and the containers' host keys pinned (strict checking, no ~/.ssh, no ssh config).
 * Everything ansible writes (its home, temporary files, the ssh control sockets) stays under the
 * directory given; the control masters end 10 s after the last play, or when the hosts stop.
 */
public final class AnsibleController {
    /** A safety net against a hung play, not a performance assertion. */
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Pattern RECAP = Pattern.compile(
            "(?m)^(\\S+)\\s+: ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)\\s+skipped=(\\d+)\\s+rescued=(\\d+)");

    private final Path dir;
    private final Path inventory;
    private final Map<String, String> env;

    private AnsibleController(Path dir, Path inventory, Map<String, String> env) {
        this.dir = dir;
        this.inventory = inventory;
        this.env = env;
    }

    /**
     * Lets the controller in as root on every host (a key in {@code /root/.ssh/authorized_keys}, which
     * Debian's {@code PermitRootLogin prohibit-password} accepts) and pins their host keys.
     *
     * @param hosts the hosts by inventory name
     */
    public static AnsibleController forHosts(Path dir, Map<String, ContainerHost> hosts) {
        Prerequisites.requireCommand("ansible-playbook");
        try {
            Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(dir.resolve("tmp"));
            Files.createDirectories(dir.resolve("cp"));
            ClientKey key = ClientKey.generate(dir, "ansible_ed25519");
            StringBuilder pins = new StringBuilder();
            for (ContainerHost h : hosts.values()) {
                h.execChecked("install", "-d", "-m", "0700", "/root/.ssh");
                h.writeFile("/root/.ssh/authorized_keys", key.publicKey() + " ansible-controller\n", 0600);
                pins.append(h.knownHostsLine()).append('\n');
            }
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, pins);
            Path cfg = dir.resolve("ansible.cfg");
            Files.writeString(cfg, "[defaults]\n"
                    + "roles_path = " + site().getParent().resolve("roles") + "\n"
                    + "forks = " + Math.max(1, hosts.size()) + "\n"
                    + "local_tmp = " + dir.resolve("tmp") + "\n"
                    + "interpreter_python = /usr/bin/python3\n"
                    + "nocolor = true\n"
                    + "retry_files_enabled = false\n"
                    + "[ssh_connection]\n"
                    + "pipelining = true\n"
                    + "control_path_dir = " + dir.resolve("cp") + "\n"
                    + "ssh_args = -F /dev/null -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile=" + knownHosts
                    + " -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o ControlMaster=auto -o ControlPersist=10s\n");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("HOME", dir.resolve("home").toString());
            env.put("ANSIBLE_CONFIG", cfg.toString());
            env.put("ANSIBLE_PRIVATE_KEY_FILE", key.privateKey().toString());
            env.put("ANSIBLE_REMOTE_USER", "root");
            return new AnsibleController(dir, dir.resolve("inventory.yml"), env);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example playbook of the repository: {@code contrib/ansible/site.yml}. */
    public static Path site() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path site = d.resolve("contrib/ansible/site.yml");
            if (Files.isRegularFile(site)) {
                return site;
            }
        }
        throw new IllegalStateException("contrib/ansible/site.yml not found above " + Path.of("").toAbsolutePath());
    }

    /**
     * Writes the inventory: group {@code delegator_hosts} with {@code groupVars}, and for each host
     * its address (127.0.0.1 and the mapped port) and {@code delegator_host_name} = its inventory name.
     */
    public void inventory(Map<String, ContainerHost> hosts, Map<String, String> groupVars) {
        inventory(hosts, groupVars, Map.of());
    }

    /** As {@link #inventory(Map, Map)}, with variables of single hosts (by inventory name) besides. */
    public void inventory(Map<String, ContainerHost> hosts, Map<String, String> groupVars, Map<String, Map<String, String>> hostVars) {
        StringBuilder y = new StringBuilder("all:\n  children:\n    delegator_hosts:\n      vars:\n");
        groupVars.forEach((k, v) -> y.append("        ").append(k).append(": ").append(quote(v)).append('\n'));
        y.append("      hosts:\n");
        hosts.forEach((name, h) -> y.append("        ").append(name).append(":\n")
                .append("          ansible_host: 127.0.0.1\n")
                .append("          ansible_port: ").append(h.sshPort()).append('\n')
                .append("          delegator_host_name: ").append(quote(name)).append('\n')
                .append(hostVars.getOrDefault(name, Map.of()).entrySet().stream()
                        .map(v -> "          " + v.getKey() + ": " + quote(v.getValue()) + "\n").collect(java.util.stream.Collectors.joining())));
        try {
            Files.writeString(inventory, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code ansible-playbook -i INVENTORY site.yml EXTRA...}, whatever its exit status. */
    public Play play(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ansible-playbook", "-i", inventory.toString(), site().toString()));
        cmd.addAll(List.of(extra));
        long start = System.nanoTime();
        CommandResult r = ExternalCommand.run(cmd, env, new byte[0], TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        Map<String, Recap> recap = new LinkedHashMap<>();
        Matcher m = RECAP.matcher(r.stdout());
        while (m.find()) {
            recap.put(m.group(1), new Recap(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
                    Integer.parseInt(m.group(5)), Integer.parseInt(m.group(7))));
        }
        return new Play(r, recap, took);
    }

    /** Where the controller keeps its files. */
    public Path dir() {
        return dir;
    }

    private static String quote(String v) {
        return "'" + v.replace("'", "''") + "'";
    }

    /** One host's line of the PLAY RECAP. */
    public record Recap(int ok, int changed, int unreachable, int failed, int rescued) {}

    /**
     * A finished play.
     *
     * @param result ansible-playbook's exit status and output
     * @param recap each host's PLAY RECAP line, by inventory name
     * @param took wall time of the play
     */
    public record Play(CommandResult result, Map<String, Recap> recap, Duration took) {
        /** Every named host is in the recap, reachable and not failed (and the play exited 0). */
        public boolean allOk(java.util.Collection<String> hosts) {
            return result.exitCode() == 0 && recap.keySet().containsAll(hosts)
                    && recap.values().stream().allMatch(c -> c.failed() == 0 && c.unreachable() == 0);
        }

        @Override
        public String toString() {
            return "ansible-playbook exited " + result.exitCode() + " after " + took.toSeconds() + " s\n" + result.stdout()
                    + "\n--- stderr:\n" + result.stderr();
        }
    }
}
