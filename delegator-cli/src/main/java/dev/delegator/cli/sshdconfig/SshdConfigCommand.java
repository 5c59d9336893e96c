package dev.delegator.cli.sshdconfig;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code delegator sshd-config}: check the host's sshd config as sshd itself reads it. */
@Command(
        name = "sshd-config",
        mixinStandardHelpOptions = true,
        description = "Check the host's sshd config, as sshd -T reads it, for what would weaken delegates.",
        subcommands = {SshdConfigLintCommand.class})
public final class SshdConfigCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
