package dev.delegator.cli.authorizedkeys;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code delegator authorized-keys}: write one delegation line, or lint existing files. */
@Command(
        name = "authorized-keys",
        mixinStandardHelpOptions = true,
        description = "Write and check OpenSSH authorized_keys lines exactly as sshd reads them.",
        subcommands = {AuthorizedKeysLineCommand.class, AuthorizedKeysLintCommand.class})
public final class AuthorizedKeysCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
