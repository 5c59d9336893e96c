package dev.delegator.cli;

import picocli.CommandLine;

/**
 * Prints a failed command's error as one line on stderr: "delegator: message". The stack trace
 * is shown only when DELEGATOR_VERBOSE=1 is set or the command has a --verbose option set.
 */
final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        cl.getErr().println("delegator: " + ExceptionExitCodes.message(ex));
        if (verbose(parsed)) {
            ex.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return ExceptionExitCodes.of(ex);
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        if ("1".equals(System.getenv("DELEGATOR_VERBOSE"))) {
            return true;
        }
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
