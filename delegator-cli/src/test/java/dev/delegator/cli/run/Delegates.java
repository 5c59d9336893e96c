package dev.delegator.cli.run;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.PrivateSshd;
import dev.delegator.testkit.TestRoot;
import dev.delegator.testkit.TestUser;
import dev.delegator.testkit.TestUsers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * End-to-end fixture for the CLI: a throwaway delegate account, a caller key pinned to a forced
 * command, N private sshd instances (same host key), a provisioned-looking layout under a test root
 * (manifest, caller directory with key and known_hosts), and a launcher script that runs this
 * build's CLI as a separate process, as a hook would.
 */
public final class Delegates implements AutoCloseable {
    /**
     * How the CLI runs: a connection per run, or through the caller's agent (README "Connection
     * reuse"): {@code --reuse 60s} is added to every run and hook, the agent gets its own directory
     * under the test root, and the fixture starts it with a first request, so the test's commands
     * take the light client's path.
     */
    public enum Mode { DIRECT, REUSE }

    /** Stand-in dispatcher: says who ran what, runs "sh:" requests as shell, and fails on "fail N". */
    static final String FORCED = """
            #!/bin/sh
            case "$SSH_ORIGINAL_COMMAND" in
              "deploy "*) echo "deployed ${SSH_ORIGINAL_COMMAND#deploy } as $(id -un)"; exit 0 ;;
              "fail "*) echo "failing with ${SSH_ORIGINAL_COMMAND#fail }" >&2; exit "${SSH_ORIGINAL_COMMAND#fail }" ;;
              "cat") exec cat ;;
              "signal "*) kill -"${SSH_ORIGINAL_COMMAND#signal }" $$ ;;
              "noise "*) head -c "${SSH_ORIGINAL_COMMAND#noise }" /dev/urandom | tee /dev/stderr ;;
              "until-eof "*) set -f; set -- ${SSH_ORIGINAL_COMMAND#until-eof }; "$@" & c=$!; cat >/dev/null; kill "$c"; wait "$c"; exit $? ;;
              *) echo "rejected: $SSH_ORIGINAL_COMMAND" >&2; exit 126 ;;
            esac
            """;

    public final TestRoot root;
    final TestUsers users;
    public final TestUser user;
    public final Path key;
    public final Path knownHosts;
    public final List<PrivateSshd> servers = new ArrayList<>();
    /** The launcher the CLI runs through: a plain {@code exec java}, or in {@link Mode#REUSE} the real one. */
    public Path launcher;
    public final Path auditLog;
    public Mode mode = Mode.DIRECT;
    /** The agent's directory in {@link Mode#REUSE}. */
    public final Path agentDir;

    private Delegates(TestRoot root, TestUsers users, TestUser user, Path key, Path knownHosts, Path launcher) {
        this.root = root;
        this.users = users;
        this.user = user;
        this.key = key;
        this.knownHosts = knownHosts;
        this.launcher = launcher;
        this.auditLog = root.resolve("audit.log");
        this.agentDir = root.resolve("agent");
    }

    /**
     * As {@link #start(String, int)} in {@code mode}; in {@link Mode#REUSE} the agent is started
     * (by a first request, which is not audited) before this returns.
     */
    public static Delegates start(String name, int count, Mode mode) {
        Delegates d = start(name, count);
        d.mode = mode;
        if (mode == Mode.REUSE) {
            try {
                // the real launcher, so warm requests take its fast path (the Perl light client)
                d.launcher = installedLauncher(d.root.path());
                // the hooks a test installs take the manifest's setting (the runs get --reuse too)
                Path manifest = d.manifest();
                Files.writeString(manifest, Files.readString(manifest).replace("caller: {user: root}", "caller: {user: root, reuse: 60s}"));
                CommandResult warm = d.delegator(Map.of(), null, "run", "--no-audit", "--host", "127.0.0.1", "--port",
                        String.valueOf(d.servers.get(0).port()), "--user", d.user.name(), "--identity", d.key.toString(),
                        "--known-hosts", d.knownHosts.toString(), "--", "deploy", "warm");
                if (warm.exitCode() != 0 || !Files.exists(d.agentDir.resolve("agent.sock"))) {
                    throw new AssertionError("the agent did not start: " + warm + "\n" + d.agentLog());
                }
                // what makes the test's requests take the launcher's fast path through the Perl client
                if (!Files.exists(d.agentDir.resolve("light-client.pl")) || !Files.exists(d.agentDir.resolve("launch"))) {
                    throw new AssertionError("the agent's starter wrote no light client or launch record: " + warm);
                }
            } catch (IOException e) {
                d.close();
                throw new UncheckedIOException(e);
            } catch (RuntimeException | AssertionError e) {
                d.close();
                throw e;
            }
        }
        return d;
    }

    /** Starts {@code count} sshd instances for delegation {@code name}, writing manifest and caller dir for them. */
    public static Delegates start(String name, int count) {
        return start(name, count, root -> FORCED);
    }

    /**
     * As {@link #start(String, int)}, with the forced command's body (a script run with exec as
     * the authorized_keys command) made from the test root.
     */
    public static Delegates start(String name, int count, java.util.function.Function<TestRoot, String> forcedScript) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("sshd", "ssh-keygen", "useradd");
        TestRoot root = TestRoot.create("cli-" + name);
        TestUsers users = new TestUsers();
        try {
            Path keys = dir(root.resolve("keys"), "rwxr-xr-x");
            Path homes = dir(root.resolve("homes"), "rwxr-xr-x");
            TestUser user = users.create("dl", homes);
            Path callerDir = root.resolve("var/lib/delegator/callers/root/" + name);
            Files.createDirectories(callerDir);
            Files.setPosixFilePermissions(callerDir, PosixFilePermissions.fromString("rwx------"));
            Path key = callerDir.resolve("id_ed25519");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "caller", "-f", key.toString());
            Path forced = root.resolve("forced");
            Files.writeString(forced, forcedScript.apply(root));
            Files.setPosixFilePermissions(forced, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path authorized = keys.resolve(user.name());
            Files.writeString(authorized, "restrict,command=\"exec " + forced + "\" " + Files.readString(Path.of(key + ".pub")));
            Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
            Path launcher = root.resolve("bin/delegator");
            Files.createDirectories(launcher.getParent());
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -cp '" + System.getProperty("java.class.path")
                    + "' dev.delegator.cli.DelegatorMain \"$@\"\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            Delegates d = new Delegates(root, users, user, key, callerDir.resolve("known_hosts"), launcher);
            StringBuilder known = new StringBuilder();
            StringBuilder hosts = new StringBuilder();
            Path hostKeyDir = dir(root.resolve("hostkey"), "rwxr-xr-x");
            ExternalCommand.check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKeyDir.resolve("ssh_host_ed25519_key").toString());
            for (int i = 0; i < count; i++) {
                Path sshdDir = dir(root.resolve("sshd" + i), "rwxr-xr-x");
                Files.copy(hostKeyDir.resolve("ssh_host_ed25519_key"), sshdDir.resolve("ssh_host_ed25519_key"));
                Files.copy(hostKeyDir.resolve("ssh_host_ed25519_key.pub"), sshdDir.resolve("ssh_host_ed25519_key.pub"));
                Files.setPosixFilePermissions(sshdDir.resolve("ssh_host_ed25519_key"), PosixFilePermissions.fromString("rw-------"));
                PrivateSshd sshd = PrivateSshd.builder(sshdDir).authorizedKeysFile(keys + "/%u").start();
                d.servers.add(sshd);
                known.append(sshd.knownHostsLine()).append('\n');
                hosts.append("      - {host: \"127.0.0.1:").append(sshd.port()).append("\", hostKey: \"")
                        .append(sshd.hostPublicKey()).append("\"}\n");
            }
            Files.writeString(d.knownHosts, known.toString());
            Files.setPosixFilePermissions(d.knownHosts, PosixFilePermissions.fromString("rw-------"));
            Path manifest = d.manifest();
            Files.createDirectories(manifest.getParent());
            Files.writeString(manifest, """
                    version: 1
                    delegations:
                      %s:
                        caller: {user: root}
                        delegate: {user: %s, home: %s}
                        hosts:
                    %s    from: ["127.0.0.1"]
                        verbs:
                          deploy: {run: /usr/lib/delegator/deploy/hg-deploy, args: ["[0-9a-f]{40}"]}
                    """.formatted(name, user.name(), user.home(), hosts));
            return d;
        } catch (IOException e) {
            users.close();
            root.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            users.close();
            root.close();
            throw e;
        }
    }

    /**
     * The real launcher ({@code ./delegator}) in its installed form under {@code root}: a copy of it
     * with a {@code delegator.jar} beside it whose manifest points at this build's classes, a minute
     * old (so an agent's launch record, written later, is newer). Run it with {@code DELEGATOR_CDS=off}.
     */
    public static Path installedLauncher(Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin-installed"));
        Path launcher = bin.resolve("delegator");
        Files.copy(Path.of("..", "delegator"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        List<String> cp = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            cp.add(Path.of(e).toAbsolutePath().toUri().toString());
        }
        m.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, String.join(" ", cp));
        Path jar = bin.resolve("delegator.jar");
        try (java.io.OutputStream out = Files.newOutputStream(jar); java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(out, m)) {
            j.flush();
        }
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        return launcher;
    }

    private static Path dir(Path p, String mode) throws IOException {
        Files.createDirectories(p);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    /** Runs the CLI as its own process (in {@link Mode#REUSE}: with {@code --reuse 60s}, through the agent). */
    public CommandResult delegator(Map<String, String> env, byte[] stdin, String... args) {
        Map<String, String> e = new java.util.HashMap<>(environment());
        e.putAll(env);
        return ExternalCommand.run(command(args), e, stdin, Duration.ofSeconds(60));
    }

    /** The launcher command line for {@code args}, as {@link #delegator} runs it in this mode. */
    public List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        List<String> a = new ArrayList<>(List.of(args));
        if (mode == Mode.REUSE) {
            int at = !a.isEmpty() && a.get(0).equals("run") ? 1
                    : a.size() > 1 && a.get(0).equals("hook") && (a.get(1).equals("hg") || a.get(1).equals("git")) ? 2 : -1;
            if (at > 0) {
                a.addAll(at, List.of("--reuse", "60s"));
            }
        }
        cmd.addAll(a);
        return cmd;
    }

    /** The environment a run gets in this mode (the agent's directory). */
    public Map<String, String> environment() {
        // the real launcher keeps class-data archives in ~/.cache: not in a test
        return mode == Mode.REUSE ? Map.of("DELEGATOR_AGENT_DIR", agentDir.toString(), "DELEGATOR_CDS", "off")
                : Map.of("DELEGATOR_AGENT_DIR", agentDir.toString());
    }

    /** The manifest this fixture wrote ({@code etc/delegator/delegations.yaml} under the root). */
    public Path manifest() {
        return root.resolve("etc/delegator/delegations.yaml");
    }

    /** The agent's log, empty when none ran. */
    public String agentLog() {
        try {
            return Files.exists(agentDir.resolve("agent.log")) ? Files.readString(agentDir.resolve("agent.log")) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many requests the agents of this fixture ran (not declined), the fixture's first one included. */
    public long agentRuns() {
        return agentLog().lines().filter(l -> l.matches(".* request .*: exit -?\\d+, \\d+ ms")).count();
    }

    /** In {@link Mode#REUSE}: asserts the agent ran at least {@code n} requests besides the fixture's first. */
    public void assertAgentRan(int n) {
        if (mode == Mode.REUSE && agentRuns() < n + 1) {
            throw new AssertionError("the agent ran " + (agentRuns() - 1) + " of the test's requests, expected " + n + ":\n" + agentLog());
        }
    }

    /** The pid of the last agent started in this fixture's directory, from its log. */
    public java.util.OptionalLong agentPid() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("started, pid (\\d+)").matcher(agentLog());
        long pid = -1;
        while (m.find()) {
            pid = Long.parseLong(m.group(1));
        }
        return pid < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(pid);
    }

    /** Ends every agent this fixture started: stop, then SIGKILL whatever is left of them. */
    private void stopAgents() {
        if (!Files.exists(agentDir)) {
            return;
        }
        ExternalCommand.run(List.of(launcher.toString(), "agent", "stop"), environment(), null, Duration.ofSeconds(30));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("started, pid (\\d+)").matcher(agentLog());
        while (m.find()) {
            ProcessHandle.of(Long.parseLong(m.group(1))).ifPresent(p -> {
                if (p.info().commandLine().map(c -> c.contains("agent serve")).orElse(false)) {
                    p.destroyForcibly();
                    p.onExit().join();
                }
            });
        }
    }

    /** The options that point a NAME at this fixture's layout and audit log. */
    public List<String> layoutOptions() {
        return List.of("--root", root.path().toString(), "--audit-log", auditLog.toString());
    }

    @Override
    public void close() {
        try {
            stopAgents();
            for (PrivateSshd s : servers) {
                s.close();
            }
        } finally {
            users.close();
            root.close();
        }
    }
}
