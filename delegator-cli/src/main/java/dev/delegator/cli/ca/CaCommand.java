package dev.delegator.cli.ca;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code delegator ca}: the user CA that signs short-lived caller certificates. */
@Command(
        name = "ca",
        mixinStandardHelpOptions = true,
        description = "The user CA for certificate delegations (create it, sign caller certificates, revoke them) and the host CA (sign host certificates).",
        subcommands = {CaInitCommand.class, CaSignCommand.class, CaSignHostCommand.class, CaRevokeCommand.class})
public final class CaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
