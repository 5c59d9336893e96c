package dev.delegator.cli;

import dev.delegator.accounts.ForeignAccountException;
import dev.delegator.authorizedkeys.AuthorizedKeysException;
import dev.delegator.files.FileChangedException;
import dev.delegator.files.LockTimeoutException;
import dev.delegator.invocation.ResolveException;
import dev.delegator.manifest.ManifestException;
import dev.delegator.plan.Blocker;
import dev.delegator.plan.PlanRefusedException;
import dev.delegator.systemtools.SystemToolException;
import java.io.IOException;
import picocli.CommandLine;

/**
 * Maps exceptions to the documented exit codes ({@link ExitCodes}), once, for every command: the
 * commands let the libraries' typed exceptions through, and this is the only place that decides
 * what each one means for the exit status.
 */
final class ExceptionExitCodes implements CommandLine.IExitCodeExceptionMapper {
    @Override
    public int getExitCode(Throwable exception) {
        return of(exception);
    }

    /** The exit code for {@code e}; {@link ExitCodes#INTERNAL_ERROR} for a bug. */
    static int of(Throwable e) {
        if (e instanceof UserFacingException u) {
            return u.exitCode();
        }
        if (e instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof ResolveException r) {
            return r.kind() == ResolveException.Kind.USAGE ? ExitCodes.USAGE : ExitCodes.INVALID_INPUT;
        }
        if (e instanceof ManifestException) {
            return ExitCodes.INVALID_INPUT;
        }
        if (e instanceof PlanRefusedException p) {
            return p.kind() == Blocker.Kind.SYSTEM ? ExitCodes.SYSTEM_TOOL_FAILED : ExitCodes.REFUSED;
        }
        if (e instanceof ForeignAccountException || e instanceof FileChangedException || e instanceof LockTimeoutException
                || e instanceof AuthorizedKeysException) {
            return ExitCodes.REFUSED;
        }
        if (e instanceof SystemToolException) {
            return ExitCodes.SYSTEM_TOOL_FAILED;
        }
        if (e instanceof IOException) {
            return ExitCodes.REFUSED;
        }
        return ExitCodes.INTERNAL_ERROR;
    }

    /** The one line printed for {@code e} (after "delegator: "). */
    static String message(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        int code = of(e);
        if (code == ExitCodes.INTERNAL_ERROR) {
            return "internal error: " + e.getClass().getSimpleName() + ": " + message;
        }
        if (e instanceof IOException && !(e instanceof FileChangedException || e instanceof LockTimeoutException)) {
            return "I/O error: " + message;
        }
        return message;
    }
}
