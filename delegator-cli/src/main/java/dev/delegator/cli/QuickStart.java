package dev.delegator.cli;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Builds only the command that runs, for the commands on a hook's hot path ({@code run},
 * {@code hook}). picocli builds the model of every subcommand by reflection when the top-level
 * command line is created; on a cold JVM that was about a quarter of a short delegation's run
 * time, and it grows with every command added. Help, errors and exit codes are the same as through
 * {@link DelegatorCommand#newCommandLine()}.
 */
final class QuickStart {
    private QuickStart() {}

    private static final Map<String, Supplier<Object>> HOT = Map.of(
            "run", dev.delegator.cli.run.RunCommand::new,
            "hook", dev.delegator.cli.hooks.HookCommand::new);

    /** The exit status, or -1 when {@code args} do not start with a hot command. */
    static int execute(String[] args) {
        if (args.length == 0 || !HOT.containsKey(args[0])) {
            return -1;
        }
        CommandLine cl = new CommandLine(HOT.get(args[0]).get());
        cl.setCommandName("delegator " + args[0]);
        cl.setExitCodeExceptionMapper(new ExceptionExitCodes());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        return cl.execute(Arrays.copyOfRange(args, 1, args.length));
    }
}
