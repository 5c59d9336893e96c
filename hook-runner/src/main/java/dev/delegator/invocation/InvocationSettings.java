package dev.delegator.invocation;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How patient a run is, how wide a fan-out, where it is audited.
 *
 * @param timeout end the remote command after this long (exit 124), or null for no limit
 * @param connectTimeout give up connecting after this long, or null for the runner's default (10 s)
 * @param retries retry connection failures this many times (never once the command started)
 * @param parallel fan-out: at most this many hosts at once; 0 for all
 * @param auditLog the audit log file, or null for {@link dev.delegator.audit.AuditLog#defaultFile}
 * @param noAudit write no audit line
 * @param syslog also send each audit line to syslog
 */
public record InvocationSettings(Duration timeout, Duration connectTimeout, int retries, int parallel, Path auditLog,
        boolean noAudit, boolean syslog) {}
