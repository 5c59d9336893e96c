package dev.delegator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * An unknown command is a usage error (exit 2, "unknown command"), whatever follows it. picocli
 * alone prints the top-level help and exits 0 for {@code delegator bogus --help}, because the help
 * option matched and the stray word was merely left unmatched; a script that typed a command name
 * wrong would take that for success.
 */
final class UnknownCommands {
    private UnknownCommands() {}

    /** Applies the rule to {@code cl}: at parse time (no help option) and before execution (with one). */
    static CommandLine install(CommandLine cl) {
        CommandLine.IParameterExceptionHandler parseErrors = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, args) -> {
            if (ex instanceof CommandLine.UnmatchedArgumentException u) {
                Optional<String> m = message(u.getCommandLine(), u.getUnmatched());
                if (m.isPresent()) {
                    return print(u.getCommandLine(), m.get());
                }
            }
            return parseErrors.handleParseException(ex, args);
        });
        CommandLine.IExecutionStrategy run = cl.getExecutionStrategy();
        cl.setExecutionStrategy(parsed -> {
            CommandLine.ParseResult deepest = parsed;
            while (deepest.hasSubcommand()) {
                deepest = deepest.subcommand();
            }
            Optional<String> m = message(deepest.commandSpec().commandLine(), deepest.unmatched());
            return m.isPresent() ? print(deepest.commandSpec().commandLine(), m.get()) : run.execute(parsed);
        });
        return cl;
    }

    /** "unknown command 'x'…" when {@code unmatched} starts with a word where {@code cl} expects a subcommand. */
    private static Optional<String> message(CommandLine cl, List<String> unmatched) {
        if (cl.getSubcommands().isEmpty() || unmatched.isEmpty() || unmatched.get(0).startsWith("-")) {
            return Optional.empty();
        }
        String name = cl.getCommandSpec().qualifiedName();
        return Optional.of("unknown command '" + unmatched.get(0) + "'; see " + name + " --help");
    }

    private static int print(CommandLine cl, String message) {
        PrintWriter err = cl.getErr();
        err.println("delegator: " + message);
        err.flush();
        return ExitCodes.USAGE;
    }
}
