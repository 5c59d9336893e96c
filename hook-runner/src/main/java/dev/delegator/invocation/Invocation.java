package dev.delegator.invocation;

import dev.delegator.audit.AuditLog;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.ConnectionPool;
import dev.delegator.client.DelegationRunner;
import dev.delegator.client.DelegationTarget;
import dev.delegator.client.RunOptions;
import dev.delegator.client.RunRequest;
import dev.delegator.fanout.FanOut;
import dev.delegator.fanout.FanOutResult;
import dev.delegator.layout.Layout;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs requests on targets the way {@code run} and the hooks share: one runner, the fan-out, the
 * audit log, Ctrl-C/SIGTERM turned into closing the channels, a one-line reason for every failed
 * host and the summary table when there are several. Requests run one after another and the first
 * that fails ends the sequence (a later changeset builds on an earlier one).
 */
public final class Invocation {
    private final InvocationSettings settings;
    private final Map<String, String> env;
    private final ClientPreparation preparation;
    private final Optional<Path> root;
    /** The kept connections to run on (the caller's agent), or null for a connection per run. */
    private final ConnectionPool pool;
    private final Cancellation cancellation;

    /**
     * How a run in progress is cancelled: given the runner, starts listening for the cancel (a
     * signal, a frame from the agent's client) and stops listening on close.
     */
    @FunctionalInterface
    public interface Cancellation {
        Listening listen(DelegationRunner runner);
    }

    /** Listening for a cancel until closed. */
    public interface Listening extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @param env the process environment (for the audit log's default place)
     * @param preparation the SSH client the entry point began preparing, or {@link ClientPreparation#none()}
     * @param root the {@code --root} every on-host path is below (the default audit log too), if given
     */
    public Invocation(InvocationSettings settings, Map<String, String> env, ClientPreparation preparation, Optional<Path> root) {
        this.settings = settings;
        this.env = env;
        this.preparation = preparation;
        this.root = root;
        this.pool = null;
        this.cancellation = SignalCancellation::install;
    }

    /**
     * An invocation on kept connections, for the caller's agent (README "Connection reuse"):
     * {@code cancellation} stands for this process's signals, which belong to the agent.
     */
    public Invocation(InvocationSettings settings, Map<String, String> env, ConnectionPool pool, Optional<Path> root,
            Cancellation cancellation) {
        this.settings = settings;
        this.env = env;
        this.preparation = ClientPreparation.none();
        this.root = root;
        this.pool = pool;
        this.cancellation = cancellation;
    }

    /**
     * @return the exit status (README "## run"; the numbers are {@link dev.delegator.client.RunResult}'s)
     * @throws ResolveException when a target's key file is missing or unreadable: the caller's own input
     *     problem, found before any connection, not a connection failure (255)
     */
    public int execute(List<DelegationTarget> targets, List<RunRequest> requests, InputStream in, OutputStream out,
            OutputStream err, PrintWriter messages) throws ResolveException {
        return execute(targets, requests, in, out, err, messages, result -> { });
    }

    /**
     * As {@link #execute(List, List, InputStream, OutputStream, OutputStream, PrintWriter)}, handing
     * each request's result to {@code results} once all its hosts have ended ({@code run --json}).
     */
    public int execute(List<DelegationTarget> targets, List<RunRequest> requests, InputStream in, OutputStream out,
            OutputStream err, PrintWriter messages, Consumer<FanOutResult> results) throws ResolveException {
        for (DelegationTarget t : targets) {
            Optional<String> unreadable = t.identity().unreadableKey();
            if (unreadable.isPresent()) {
                throw new ResolveException(ResolveException.Kind.INVALID_INPUT, unreadable.get());
            }
        }
        RunOptions options = RunOptions.defaults().withTimeout(settings.timeout()).withRetries(settings.retries());
        if (settings.connectTimeout() != null) {
            options = options.withConnectTimeout(settings.connectTimeout());
        }
        Optional<AuditLog> audit = settings.noAudit() ? Optional.empty() : Optional.of(new AuditLog(auditFile(), settings.syslog()));
        int status = 0;
        try (DelegationRunner runner = pool == null ? new DelegationRunner(options, preparation) : new DelegationRunner(options, pool);
                Listening ignored = cancellation.listen(runner)) {
            FanOut fanOut = new FanOut(runner, settings.parallel(), audit, w -> {
                messages.println("delegator: warning: " + w);
                messages.flush();
            });
            for (RunRequest request : requests) {
                FanOutResult result = fanOut.run(targets, request, in, out, err);
                for (FanOutResult.HostRun r : result.runs()) {
                    r.result().message().ifPresent(m -> messages.println("delegator: "
                            + (targets.size() > 1 ? r.target().label() + ": " : "") + m));
                }
                if (targets.size() > 1) {
                    messages.print(result.summary());
                }
                messages.flush();
                results.accept(result);
                status = result.exitStatus();
                if (status != 0) {
                    break;
                }
            }
        }
        return status;
    }

    private Path auditFile() {
        if (settings.auditLog() != null) {
            return settings.auditLog();
        }
        String user = System.getProperty("user.name");
        Path provisioned = Layout.forRoot(root.orElse(null)).callerAuditLog(user);
        return AuditLog.defaultFile(provisioned, env, Path.of(System.getProperty("user.home")));
    }
}
