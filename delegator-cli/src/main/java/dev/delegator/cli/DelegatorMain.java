package dev.delegator.cli;

import picocli.CommandLine;

/** Process entry point: parse, run one command, exit with its documented code (see {@link ExitCodes}). */
public final class DelegatorMain {
    private DelegatorMain() {}

    public static void main(String[] args) {
        System.exit(DelegatorCommand.newCommandLine().execute(args));
    }
}
