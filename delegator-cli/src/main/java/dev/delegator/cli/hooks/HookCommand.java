package dev.delegator.cli.hooks;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code delegator hook hg|git|install}: run a delegation from a repository hook, or install one. */
@Command(name = "hook", mixinStandardHelpOptions = true,
        description = "Run a delegation from a Mercurial or git hook, or install such a hook.",
        subcommands = {HgHookCommand.class, GitHookCommand.class, InstallHookCommand.class})
public final class HookCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
