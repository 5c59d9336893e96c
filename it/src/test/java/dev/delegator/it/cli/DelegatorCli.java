package dev.delegator.it.cli;

import dev.delegator.it.container.CliJar;
import dev.delegator.it.container.ContainerHost;
import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.ExternalCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built command line ({@code delegator-cli/target/delegator.jar}) run as a child process, the
 * way an admin, a hook or a CI job runs it: {@code java -jar delegator.jar ARGS}, with the test
 * JVM's own JDK. The scenarios drive the product through it, never through its classes, so what
 * they prove is what users run.
 */
public final class DelegatorCli {
    /** A safety net against a hung test, not a performance assertion. */
    public static final Duration TIMEOUT = Duration.ofMinutes(3);

    private DelegatorCli() {}

    /** The jar (fails in CI, skips locally, when it was not built). */
    public static Path jar() {
        return CliJar.require();
    }

    /** The JDK's java launcher that runs the tests. */
    public static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code java <fast-start flags> -jar delegator.jar ARGS}. */
    public static List<String> argv(List<String> args) {
        // C1 only and the serial collector: a short-lived CLI starts faster (the demo's launcher does the same)
        List<String> argv = new ArrayList<>(List.of(java().toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-jar", jar().toString()));
        argv.addAll(args);
        return argv;
    }

    /** Runs {@code delegator ARGS} as root with an empty stdin. */
    public static CommandResult run(String... args) {
        return run(List.of(args), Map.of());
    }

    /** Runs {@code delegator ARGS} as root with extra environment and an empty stdin. */
    public static CommandResult run(List<String> args, Map<String, String> env) {
        return ExternalCommand.run(argv(args), env, new byte[0], TIMEOUT);
    }

    /**
     * The CI form against a container host: {@code delegator run --host 127.0.0.1 --port P --user USER
     * --identity-env DEPLOY_KEY --known-hosts-env DEPLOY_KNOWN_HOSTS --no-audit --timeout 1m -- REQUEST},
     * the key and the host's known_hosts line handed over as environment variables, as a CI job does.
     */
    public static CommandResult runAsCi(ContainerHost host, String user, Path privateKey, String... request) {
        List<String> args = new ArrayList<>(List.of("run", "--host", "127.0.0.1", "--port", Integer.toString(host.sshPort()),
                "--user", user, "--identity-env", "DEPLOY_KEY", "--known-hosts-env", "DEPLOY_KNOWN_HOSTS", "--no-audit",
                "--timeout", "1m", "--"));
        args.addAll(List.of(request));
        try {
            return run(args, Map.of("DEPLOY_KEY", Files.readString(privateKey), "DEPLOY_KNOWN_HOSTS", host.knownHostsLine() + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the caller key " + privateKey, e);
        }
    }

    /** Runs and asserts exit 0; returns the result for its output. */
    public static CommandResult check(String... args) {
        CommandResult r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("delegator " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r);
        }
        return r;
    }

    /** Starts {@code delegator ARGS} in the background, stdout and stderr to {@code log}. */
    public static Process start(List<String> args, Path log) {
        try {
            return new ProcessBuilder(argv(args)).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start delegator " + args, e);
        }
    }

    /**
     * A launcher script {@code <dir>/delegator} (root 0755) that runs the jar with this JDK, for
     * hooks: a service account runs it, and {@code delegator hook install --delegator} names it.
     */
    public static Path writeLauncher(Path dir) {
        try {
            Path launcher = dir.resolve("delegator");
            java.nio.file.Files.writeString(launcher, "#!/bin/sh\nexec '" + java() + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar '"
                    + jar() + "' \"$@\"\n");
            java.nio.file.Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            return launcher;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
