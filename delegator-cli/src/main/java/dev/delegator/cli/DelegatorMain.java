package dev.delegator.cli;

import picocli.CommandLine;

/** Process entry point: parse, run one command, exit with its documented code (see {@link ExitCodes}). */
public final class DelegatorMain {
    private DelegatorMain() {}

    public static void main(String[] jvmArgs) {
        String[] args;
        try {
            // the bytes given, not the locale's reading of them (see ProcessInput)
            args = ProcessInput.arguments(jvmArgs);
        } catch (UserFacingException e) {
            System.err.println("delegator: " + e.getMessage());
            System.exit(e.exitCode());
            return;
        }
        int quick = QuickStart.execute(args);
        System.exit(quick >= 0 ? quick : utf8(DelegatorCommand.newCommandLine()).execute(args));
    }

    /**
     * Output in UTF-8 whatever the locale: a line, a path or a message holds the characters it was
     * given (printed in an ASCII locale they would become '?', a different command or path).
     */
    static CommandLine utf8(CommandLine cl) {
        cl.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(new java.io.FileOutputStream(java.io.FileDescriptor.out),
                java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(new java.io.FileOutputStream(java.io.FileDescriptor.err),
                java.nio.charset.StandardCharsets.UTF_8), true));
        return cl;
    }
}
