package dev.delegator.it.container;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.delegator.testkit.CommandResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.MountableFile;
import org.testcontainers.utility.DockerImageName;

/**
 * A remote delegate host: a container of the locally built image (see {@link HostImage}) running
 * the sshd of the matrix leg's Debian release (12 or 13, {@link HostImage#suite()}) with its
 * default config, reachable from the test process at
 * {@code 127.0.0.1:}{@link #sshPort()}. Callers appear inside at the Docker bridge gateway
 * ({@link #callerAddress()}), which is what a {@code from=} pattern on this host must allow.
 *
 * <p>One default is changed: on OpenSSH 9.8 and later sshd starts with {@code -o PerSourcePenalties=no},
 * because the tests' deliberate failed logins all come from the one bridge gateway address and
 * would lock every later test of the class out for 15 s and more; {@link Builder#keepingPenalties()}
 * keeps Debian's default for the test of that lock-out.
 *
 * <p>Start one per test class, not per test (about half a second each, but it adds up); close it
 * in {@code @AfterAll}: without Ryuk nothing else removes it.
 */
public final class ContainerHost implements AutoCloseable {
    /** Where {@link Builder#withCliJar(Path)} mounts the CLI jar inside. */
    public static final String CLI_JAR = "/opt/delegator/delegator.jar";
    /** The log line sshd -D -e prints once it accepts connections; the port proxy accepts earlier. */
    private static final String READY = ".*Server listening on .*";

    private final GenericContainer<?> container;
    private final String javaHome;
    private final DebianSuite suite;

    private ContainerHost(GenericContainer<?> container, String javaHome, DebianSuite suite) {
        this.container = container;
        this.javaHome = javaHome;
        this.suite = suite;
    }

    /** A builder for a host of the current image; fails (CI) or skips (locally) if Docker or the image is missing. */
    public static Builder builder() {
        return new Builder(HostImage.require(), HostImage.suite());
    }

    /** The Debian release inside. */
    public DebianSuite suite() {
        return suite;
    }

    /** The host port mapped to the container's port 22. */
    public int sshPort() {
        return container.getMappedPort(22);
    }

    /** The container's sshd host key, {@code ssh-ed25519 AAAA…} (each container makes its own at start). */
    public String hostPublicKey() {
        String pub = execChecked("cat", "/etc/ssh/ssh_host_ed25519_key.pub").trim();
        String[] parts = pub.split("\\s+");
        return parts[0] + " " + parts[1];
    }

    /** A known_hosts line pinning this host as the test process reaches it. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + sshPort() + " " + hostPublicKey();
    }

    /**
     * The source address sshd inside sees for a connection from the test process through the
     * mapped port: the Docker bridge gateway (e.g. 172.17.0.1), because docker-proxy relays it.
     */
    public String callerAddress() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getGateway();
    }

    /** The container's own address on the bridge network. */
    public String address() {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    /** Runs a command inside as root (docker exec) and captures its result. */
    public CommandResult exec(List<String> command) {
        return exec(command.toArray(String[]::new));
    }

    /** Runs a command inside as root (docker exec) and captures its result. */
    public CommandResult exec(String... command) {
        try {
            ExecResult r = container.execInContainer(StandardCharsets.UTF_8, command);
            return new CommandResult(r.getExitCode(), r.getStdout().getBytes(StandardCharsets.UTF_8), r.getStderr());
        } catch (IOException e) {
            throw new UncheckedIOException("docker exec " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: docker exec " + List.of(command), e);
        }
    }

    /** Runs a command inside as root and returns stdout; an exit status other than 0 fails the test. */
    public String execChecked(String... command) {
        CommandResult result = exec(command);
        if (result.exitCode() != 0) {
            throw new AssertionError("in container: " + String.join(" ", command) + " failed: " + result);
        }
        return result.stdout();
    }

    /** Runs {@code sh -c script} inside as root and returns stdout; non-zero fails the test. */
    public String shell(String script) {
        return execChecked("sh", "-c", script);
    }

    /** Writes a file inside, owned by root with the given mode (octal, e.g. 0644). */
    public void writeFile(String path, String content, int mode) {
        container.copyFileToContainer(Transferable.of(content.getBytes(StandardCharsets.UTF_8), mode), path);
        execChecked("chown", "root:root", path);
    }

    /** Copies a file of the test machine into the container (a built package, a tarball), owned by root. */
    public void copyFile(Path file, String path, int mode) {
        container.copyFileToContainer(MountableFile.forHostPath(file, mode), path);
        execChecked("chown", "root:root", path);
    }

    /** The java launcher inside: the image's own OpenJDK where it has one, else the mounted test JDK. */
    public String java() {
        if (javaHome == null) {
            throw new IllegalStateException("start the host withJava() to run java inside");
        }
        return javaHome + "/bin/java";
    }

    /** The argv that runs the mounted CLI inside with {@link #java()}: {@code delegator ARGS}. */
    public List<String> delegatorCommand(String... args) {
        List<String> argv = new ArrayList<>(List.of(java(), "-jar", CLI_JAR));
        argv.addAll(List.of(args));
        return argv;
    }

    /** Everything the container wrote to stdout and stderr so far (sshd -e logs every auth decision here). */
    public String logs() {
        return container.getLogs();
    }

    /** The container id, for messages. */
    public String id() {
        return container.getContainerId();
    }

    /**
     * Replaces the host's ed25519 key with a new one and makes sshd use it (fault tests: the delegate
     * host's key rotated under a caller that pinned the old one). Returns the new public key.
     */
    public String rotateHostKey() {
        shell("rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub"
                + " && ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key");
        reloadSshd();
        return hostPublicKey();
    }

    /**
     * SIGHUP to sshd (PID 1 here), then waits until it listens again: sshd re-executes itself on
     * SIGHUP and would refuse a connection in between.
     */
    public void reloadSshd() {
        int before = countListening();
        execChecked("kill", "-HUP", "1");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a safety net, not a performance assertion
        while (countListening() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sshd in " + id() + " did not listen again after SIGHUP: " + logs());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** How many times sshd has said it listens; pass it to {@link #awaitListeningAfter(int)}. */
    public int listeningCount() {
        return countListening();
    }

    /** Waits until sshd listens again after a reload someone else sent (delegator apply inside does). */
    public void awaitListeningAfter(int before) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // a safety net, not a performance assertion
        while (countListening() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sshd in " + id() + " did not listen again after the reload: " + logs());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Writes {@code manifest} to {@code /etc/delegator/delegations.yaml} inside and runs the real
     * {@code delegator apply --host-name NAME} there (mounted JDK and CLI jar, the container's own
     * /etc/ssh/sshd_config and layout), waiting for sshd to listen again when apply reloaded it.
     * Returns apply's result, whatever its exit status.
     */
    public CommandResult apply(String hostName, String manifest) {
        execChecked("install", "-d", "-m", "0755", "/etc/delegator");
        writeFile("/etc/delegator/delegations.yaml", manifest, 0644);
        int before = countListening();
        CommandResult r = exec(delegatorCommand("apply", "--host-name", hostName));
        if (r.stdout().contains("sshd (pid ") && r.stdout().contains(") reloaded")) {
            awaitListeningAfter(before);
        }
        return r;
    }

    private int countListening() {
        // sshd logs one line per address family; count restarts by the IPv4 one
        return logs().split("Server listening on 0\\.0\\.0\\.0 port 22", -1).length - 1;
    }

    /** Stops the whole host at once (fault tests: a host lost in the middle of a fan-out). */
    public void kill() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).exec();
    }

    /** Stops and removes the container (and its anonymous volumes). */
    @Override
    public void close() {
        container.stop();
    }

    /** Options for one host; {@link #start()} starts it and waits for sshd. */
    public static final class Builder {
        private final String image;
        private final DebianSuite suite;
        private boolean java;
        private Path cliJar;
        private boolean userNamespaces;
        private boolean penalties;

        private Builder(String image, DebianSuite suite) {
            this.image = image;
            this.suite = suite;
        }

        /**
         * A Java inside so {@code delegator apply} can run there. Where the image has its own
         * OpenJDK (Debian 13: 21), that one, as an admin of that release runs delegator; else
         * (Debian 12) the JDK that runs the tests is mounted (under /usr/lib/jvm, read-only, plus
         * Debian's /etc/java-17-openjdk config it links to). Mounting it over Debian 13's
         * /usr/lib/jvm would hide the Java under test.
         */
        public Builder withJava() {
            this.java = true;
            return this;
        }

        /** Keeps sshd's per-source penalties on (OpenSSH 9.8 and later): for the test of the lock-out. */
        public Builder keepingPenalties() {
            this.penalties = true;
            return this;
        }

        /** Mounts the built CLI jar read-only at {@link #CLI_JAR}. */
        public Builder withCliJar(Path jar) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("CLI jar not found: " + jar.toAbsolutePath()
                        + " (build it with: mvn -B -pl delegator-cli -am package -DskipTests)");
            }
            this.cliJar = jar.toAbsolutePath().normalize();
            return this;
        }

        /**
         * Starts the container with seccomp unconfined, so an unprivileged delegate can create a
         * user and network namespace ({@code unshare -rn}), which the dispatcher's
         * {@code network none} sandbox needs. Docker's default seccomp profile refuses
         * {@code unshare(CLONE_NEWUSER)} to a process without CAP_SYS_ADMIN, inside or not
         * (measured: "unshare failed: Operation not permitted"). Unconfined seccomp is the
         * narrowest option that works; {@code --cap-add SYS_ADMIN} or privileged mode also do,
         * but hand root in the container far more.
         */
        public Builder allowingUserNamespaces() {
            this.userNamespaces = true;
            return this;
        }

        /**
         * Starts {@code count} hosts with these options at once (fan-out scenarios); if one fails
         * to start, the others are removed and the failure is thrown.
         */
        public List<ContainerHost> startMany(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("count (" + count + ") must be at least 1");
            }
            List<CompletableFuture<ContainerHost>> starting = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                starting.add(CompletableFuture.supplyAsync(this::start));
            }
            List<ContainerHost> hosts = new ArrayList<>();
            RuntimeException failure = null;
            for (CompletableFuture<ContainerHost> f : starting) {
                try {
                    hosts.add(f.join());
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            if (failure != null) {
                hosts.forEach(ContainerHost::close);
                throw failure;
            }
            return List.copyOf(hosts);
        }

        @SuppressWarnings("resource") // closed by ContainerHost.close()
        public ContainerHost start() {
            GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                    .withExposedPorts(22)
                    .waitingFor(Wait.forLogMessage(READY, 1).withStartupTimeout(Duration.ofSeconds(60)));
            if (!penalties && suite.openSsh().hasPerSourcePenalties()) {
                c.withCommand("/usr/local/sbin/sshd-entrypoint", "-o", "PerSourcePenalties=no");
            }
            String javaHome = null;
            List<Bind> binds = new ArrayList<>();
            if (java && suite.ownJavaHome().isPresent()) {
                javaHome = suite.ownJavaHome().get();
            } else if (java) {
                Path home = Path.of(System.getProperty("java.home")).toAbsolutePath().normalize();
                try {
                    home = home.toRealPath();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!home.startsWith("/usr/lib/jvm")) {
                    throw new IllegalStateException("the test JDK must live under /usr/lib/jvm to be mounted, not " + home);
                }
                binds.add(readOnly("/usr/lib/jvm", "/usr/lib/jvm"));
                if (Files.isDirectory(Path.of("/etc/java-17-openjdk"))) {
                    binds.add(readOnly("/etc/java-17-openjdk", "/etc/java-17-openjdk"));
                }
                javaHome = home.toString();
            }
            if (cliJar != null) {
                binds.add(readOnly(cliJar.toString(), CLI_JAR));
            }
            // Binds go straight into the create command: withFileSystemBind first proves that
            // mounting works by starting a container of a registry image (alpine), which costs
            // the pull timeout here, where no registry is reachable.
            boolean unconfined = userNamespaces;
            c.withCreateContainerCmdModifier(cmd -> {
                cmd.getHostConfig().withBinds(binds);
                if (unconfined) {
                    cmd.getHostConfig().withSecurityOpts(List.of("seccomp=unconfined"));
                }
            });
            try {
                c.start();
            } catch (RuntimeException e) {
                c.stop();
                throw e;
            }
            return new ContainerHost(c, javaHome, suite);
        }

        private static Bind readOnly(String hostPath, String containerPath) {
            return new Bind(hostPath, new Volume(containerPath), AccessMode.ro);
        }
    }
}
