package dev.delegator.cli;

import picocli.CommandLine;

/** Maps exceptions to the documented exit codes, once, for every command. */
final class ExceptionExitCodes implements CommandLine.IExitCodeExceptionMapper {
    @Override
    public int getExitCode(Throwable exception) {
        if (exception instanceof UserFacingException u) {
            return u.exitCode();
        }
        if (exception instanceof CommandLine.ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.INTERNAL_ERROR;
    }
}
