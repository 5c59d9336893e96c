package dev.delegator.cli;

import picocli.CommandLine;

/** Process entry point: parse, run one command, exit with its documented code (see {@link ExitCodes}). */
public final class DelegatorMain {
    private DelegatorMain() {}

    public static void main(String[] args) {
        int quick = QuickStart.execute(args);
        System.exit(quick >= 0 ? quick : DelegatorCommand.newCommandLine().execute(args));
    }
}
