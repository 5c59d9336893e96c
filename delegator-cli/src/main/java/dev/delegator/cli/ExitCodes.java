package dev.delegator.cli;

import dev.delegator.client.RunResult;

/**
 * Every exit status the delegator command line uses, in one place. README's "Exit codes" table
 * lists the same numbers ({@code ReadmeExitCodesTest} keeps them in step).
 *
 * <p>{@code run} and {@code hook} pass the remote status through and add the ssh-compatible
 * codes {@link #TIMEOUT}, {@link #SIGNAL_BASE}+N and {@link #CONNECTION}. Ctrl-C and SIGTERM
 * while a delegation runs close its connection and exit {@link #SIGNAL_BASE}+2 (130) and +15 (143).
 * With several hosts (fan-out): 0 when all succeeded; else {@link #CONNECTION} when any host was
 * unreachable; else the status of the first failing host in the order given. The run statuses
 * are defined once, by hook-runner's {@link RunResult} which computes them; this table names them
 * beside the command line's own codes.
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** Success. */
    public static final int OK = 0;
    /** lint found problems; list found a delegation that is not ok; verify: something was granted or the host view found a problem. */
    public static final int PROBLEMS_FOUND = 1;
    /** Bad command-line usage (unknown option, missing argument): picocli's usage code. */
    public static final int USAGE = 2;
    /** An input file (manifest, authorized_keys, key, run --hosts-file) is invalid; the message names file:line:column. */
    public static final int INVALID_INPUT = 3;
    /** plan --detailed-exitcode: the plan has changes to apply. */
    public static final int CHANGES_PENDING = 4;
    /** Refused for safety: a file changed on disk since it was read, a foreign account, an unsafe mode, a lock held. */
    public static final int REFUSED = 5;
    /** A system tool delegator relies on failed (useradd, sshd -t, ssh-keygen). */
    public static final int SYSTEM_TOOL_FAILED = 6;
    /** demo: not run as root; the full demo creates accounts and runs sshd as root (or use --no-root). */
    public static final int NEEDS_ROOT = 77;
    /** A bug: an unexpected exception. Re-run with --verbose for the stack trace. */
    public static final int INTERNAL_ERROR = 70;
    /** run/hook: --timeout expired; the channel was closed so the remote work ends. */
    public static final int TIMEOUT = RunResult.TIMEOUT;
    /** run/hook: the remote command was killed by signal N: exit 128+N. */
    public static final int SIGNAL_BASE = RunResult.SIGNAL_BASE;
    /** run/hook/verify: connection, authentication or host-key failure (as ssh). */
    public static final int CONNECTION = RunResult.CONNECTION;
}
