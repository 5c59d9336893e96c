package dev.delegator.cli.agent;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.client.ClientPreparation;
import dev.delegator.invocation.Invocation;
import dev.delegator.invocation.InvocationSettings;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a {@code run} or hook command reads and writes, and where it runs: in this process, or in
 * the caller's agent on its kept connections (README "Connection reuse"). The commands take their
 * environment, working directory and streams from here, never from the process, so the agent runs
 * the very same command code for a client.
 */
public final class CallContext {
    private final Map<String, String> env;
    private final Path cwd;
    private final InputStream in;
    private final OutputStream out;
    private final OutputStream err;
    /** The process's arguments, to hand to an agent; null when this run may not hand over. */
    private final String[] handOver;
    private final byte[] preRead;
    /** The request inside the agent, or null in the caller's own process. */
    private final AgentCall agent;

    private CallContext(Map<String, String> env, Path cwd, InputStream in, OutputStream out, OutputStream err,
            String[] handOver, byte[] preRead, AgentCall agent) {
        this.env = env;
        this.cwd = cwd;
        this.in = in;
        this.out = out;
        this.err = err;
        this.handOver = handOver;
        this.preRead = preRead;
        this.agent = agent;
    }

    /**
     * This process: its environment, directory and standard streams.
     *
     * @param args the process's arguments, to hand to an agent when reuse is on; null when this run
     *     must not (an agent declined it, or the arguments are not the process's)
     * @param preRead what {@link LightClient#preRead} took from stdin (it is the command's stdin
     *     then), or null when stdin was not touched
     */
    public static CallContext process(Map<String, String> env, String[] args, byte[] preRead) {
        InputStream in = preRead != null ? new java.io.ByteArrayInputStream(preRead) : new FileInputStream(FileDescriptor.in);
        return new CallContext(env, Path.of("").toAbsolutePath(), in, new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), args, preRead, null);
    }

    static CallContext agent(AgentCall call, Map<String, String> env, Path cwd) {
        return new CallContext(Map.copyOf(env), cwd, call.in(), call.out(), call.err(), null, null, call);
    }

    /** True inside the caller's agent. */
    public boolean inAgent() {
        return agent != null;
    }

    public Map<String, String> env() {
        return env;
    }

    /** The caller's working directory (the agent's own may differ). */
    public Path cwd() {
        return cwd;
    }

    /** {@code p} against the caller's working directory; null stays null. */
    public Path resolve(Path p) {
        return p == null ? null : cwd.resolve(p);
    }

    public InputStream in() {
        return in;
    }

    public OutputStream out() {
        return out;
    }

    public OutputStream err() {
        return err;
    }

    /**
     * Where a resolved request runs.
     *
     * @param reuse the reuse duration (the {@code --reuse} flag, else the manifest's caller setting), empty when off
     * @param fromFlag whether {@code reuse} came from {@code --reuse}
     * @param secretsFromEnvironment the key, known_hosts or certificate come from environment variables
     * @param files the files the connection is made from (key, certificate, known_hosts, manifest)
     * @return empty: run it here (on the agent's connections inside the agent); else the exit status
     *     to return (the agent ran it, or this agent declined it and the client runs it)
     */
    public OptionalInt route(Optional<Duration> reuse, boolean fromFlag, boolean secretsFromEnvironment, List<Path> files,
            PrintWriter messages) {
        if (reuse.isPresent() && secretsFromEnvironment && fromFlag && agent == null) {
            throw new UserFacingException(ExitCodes.USAGE, "--reuse needs the key and known_hosts in files (--identity and "
                    + "--known-hosts, or the caller directory): the agent reads them itself, and no secret crosses its socket");
        }
        try {
            if (agent != null) {
                if (reuse.isEmpty() || secretsFromEnvironment) {
                    agent.decline();
                    return OptionalInt.of(0);
                }
                Optional<Path> changed = agent.changed(files);
                if (changed.isPresent()) {
                    agent.decline();
                    agent.server().drain(changed.get() + " changed");
                    return OptionalInt.of(0);
                }
                agent.accept(reuse.get());
                return OptionalInt.empty();
            }
            if (reuse.isEmpty() || handOver == null) {
                return OptionalInt.empty();
            }
            Optional<Path> socket = AgentStarter.ensure(env, reuse.get(), messages);
            if (socket.isEmpty()) {
                return OptionalInt.empty();
            }
            int status = LightClient.forward(socket.get(), handOver, env, preRead);
            return status >= 0 ? OptionalInt.of(status) : OptionalInt.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The invocation that runs it here: with this process's client and signals, or the agent's connections and the client's cancel. */
    public Invocation invocation(InvocationSettings settings, ClientPreparation preparation, Optional<Path> root) {
        if (agent == null) {
            return new Invocation(settings, env, preparation, root);
        }
        return new Invocation(settings, env, agent.server().pool(), root, agent.cancellation());
    }
}
