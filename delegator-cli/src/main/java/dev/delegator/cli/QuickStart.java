package dev.delegator.cli;

import dev.delegator.cli.agent.CallContext;
import dev.delegator.cli.hooks.HookCommand;
import dev.delegator.cli.provision.ApplyCommand;
import dev.delegator.cli.provision.PlanCommand;
import dev.delegator.cli.run.RunCommand;
import dev.delegator.client.ClientPreparation;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Builds only the command that runs, for the commands on a hook's hot path ({@code run},
 * {@code hook}) and for {@code plan} and {@code apply}, which a configuration-management tool runs
 * on every host at every pass. picocli builds the model of every subcommand by reflection when the top-level
 * command line is created; on a cold JVM that was about a quarter of a short delegation's run
 * time, and it grows with every command added. Help, errors and exit codes are the same as through
 * {@link DelegatorCommand#newCommandLine()}.
 *
 * <p>Those commands connect somewhere, so the SSH client is set up on a second thread while picocli
 * builds the model and parses ({@link ClientPreparation}); the commands that connect are built with it
 * ({@link PreparedFactory}). A plain switch rather than a map of
 * constructor references: each method reference is linked by a bootstrap method on first use, a
 * few milliseconds each on a cold JVM.
 */
public final class QuickStart {
    private QuickStart() {}

    /**
     * The exit status, or -1 when {@code args} do not start with a hot command.
     *
     * @param context where the command's input, output and environment are, and whether it may be
     *     handed to the caller's agent (or runs inside it)
     */
    public static int execute(String[] args, CallContext context) {
        if (args.length == 0) {
            return -1;
        }
        if (args[0].equals("plan") || args[0].equals("apply")) {
            return execute(args, args[0].equals("plan") ? new PlanCommand() : new ApplyCommand(), CommandLine.defaultFactory(),
                    context);
        }
        if (!(args[0].equals("run") || args[0].equals("hook"))) {
            return -1;
        }
        // inside the agent the connections come from its pool: no client of its own to prepare
        boolean connects = !(args.length > 1 && args[0].equals("hook") && args[1].equals("install")) && !context.inAgent();
        ClientPreparation preparation = connects ? ClientPreparation.begin() : ClientPreparation.none();
        PreparedFactory factory = new PreparedFactory(preparation, context);
        Object command = args[0].equals("run") ? new RunCommand(preparation, context) : new HookCommand();
        return execute(args, command, factory, context);
    }

    private static int execute(String[] args, Object command, CommandLine.IFactory factory, CallContext context) {
        CommandLine cl = DelegatorMain.utf8(new CommandLine(command, factory), context.out(), context.err());
        cl.setCommandName("delegator " + args[0]);
        cl.setExitCodeExceptionMapper(new ExceptionExitCodes());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        UnknownCommands.install(cl);
        try {
            return cl.execute(Arrays.copyOfRange(args, 1, args.length));
        } finally {
            cl.getOut().flush();
            cl.getErr().flush();
        }
    }
}
