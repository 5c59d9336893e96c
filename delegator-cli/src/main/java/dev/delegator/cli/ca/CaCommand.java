package dev.delegator.cli.ca;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code delegator ca}: the user CA that signs short-lived caller certificates. */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        description = "A user CA for certificate delegations: create it, sign caller certificates, revoke them.",
        subcommands = {CaInitCommand.class, CaSignCommand.class, CaRevokeCommand.class})
public final class CaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
