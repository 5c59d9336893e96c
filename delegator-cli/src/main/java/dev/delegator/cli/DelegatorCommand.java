package dev.delegator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code delegator} command; each subcommand is a thin class that calls one library method. */
@Command(
        name = "delegator",
        mixinStandardHelpOptions = true,
        versionProvider = DelegatorVersion.class,
        description = "Privilege separation through OpenSSH forced commands.",
        subcommands = {
            CommandLine.HelpCommand.class,
            dev.delegator.cli.authorizedkeys.AuthorizedKeysCommand.class,
            dev.delegator.cli.keys.KeygenCommand.class,
            dev.delegator.cli.provision.PlanCommand.class,
            dev.delegator.cli.provision.ApplyCommand.class,
            dev.delegator.cli.provision.RevokeCommand.class,
            dev.delegator.cli.provision.ListCommand.class,
            dev.delegator.cli.ca.CaCommand.class,
            dev.delegator.cli.sshdconfig.SshdConfigCommand.class,
            dev.delegator.cli.run.RunCommand.class,
            dev.delegator.cli.verify.VerifyCommand.class,
            dev.delegator.cli.hooks.HookCommand.class,
            dev.delegator.cli.demo.DemoCommand.class,
            dev.delegator.cli.agent.AgentCommand.class,
        })
public final class DelegatorCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The configured command line every entry point (main, tests) uses, so they behave alike. */
    public static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new DelegatorCommand());
        cl.setExitCodeExceptionMapper(new ExceptionExitCodes());
        cl.setExecutionExceptionHandler(new OneLineErrors());
        return UnknownCommands.install(cl);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
