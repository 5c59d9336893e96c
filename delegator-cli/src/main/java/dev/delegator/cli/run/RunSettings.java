package dev.delegator.cli.run;

import dev.delegator.fanout.FanOut;
import dev.delegator.invocation.InvocationSettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How patient a run is, how wide a fan-out, where it is audited. */
public final class RunSettings {
    @Option(names = "--timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Stop the command after DURATION (90, 30s, 5m, 2h): the channel is closed, exit 124.")
    Duration timeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", converter = Durations.class,
            description = "Give up connecting after DURATION (default: 10s).")
    Duration connectTimeout;

    @Option(names = "--retries", paramLabel = "N",
            description = "Retry connection failures N times (never after the command started; default: 0).")
    int retries;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Fan-out: at most N hosts at once; 0 for all at once (default: ${DEFAULT-VALUE}, measured to keep a "
                    + "2-core caller responsive).")
    int parallel = FanOut.DEFAULT_PARALLEL;

    @Option(names = "--audit-log", paramLabel = "FILE",
            description = "Append one JSON line per run here (default: /var/lib/delegator/callers/<caller>/audit.log, "
                    + "else $XDG_STATE_HOME/delegator/audit.log).")
    Path auditLog;

    @Option(names = "--no-audit", description = "Do not write the audit log.")
    boolean noAudit;

    @Option(names = "--syslog", description = "Also send each audit line to syslog (logger -p auth.info).")
    boolean syslog;

    @Option(names = "--reuse", paramLabel = "DURATION", converter = Durations.class,
            description = "Connection reuse: run through this caller's agent, which keeps the connection open for DURATION "
                    + "after the last request (default: the manifest's caller reuse, else off). See README \"Connection reuse\".")
    Duration reuse;

    /** {@code --reuse}, else the manifest's setting for the delegation's caller. */
    public java.util.Optional<Duration> reuse(java.util.Optional<dev.delegator.manifest.Delegation> delegation) {
        return reuse != null ? java.util.Optional.of(reuse) : delegation.flatMap(d -> d.caller().reuse());
    }

    /** Whether {@code --reuse} was given. */
    public boolean reuseFlag() {
        return reuse != null;
    }

    /** These settings with their paths taken against the caller's working directory (inside the agent). */
    public RunSettings resolvedAgainst(dev.delegator.cli.agent.CallContext context) {
        auditLog = context.resolve(auditLog);
        return this;
    }

    /** The settings as the caller library takes them. */
    public InvocationSettings toSettings() {
        return new InvocationSettings(timeout, connectTimeout, retries, parallel, auditLog, noAudit, syslog);
    }
}
