package dev.delegator.cli;

import dev.delegator.cli.agent.CallContext;
import dev.delegator.cli.agent.LightClient;
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
        // connection reuse: a request the caller's agent runs never loads more than the light client
        java.util.Map<String, String> env = ProcessInput.environment();
        byte[] preRead = null;
        int viaAgent = LightClient.NO_AGENT;
        if (LightClient.handsOver(args)) {
            try {
                preRead = LightClient.preRead(args, System.in);
            } catch (java.io.IOException e) {
                System.err.println("delegator: cannot read stdin: " + e.getMessage());
                System.exit(ExitCodes.INVALID_INPUT);
                return;
            }
            // the Perl light client hands a declined request over with this property: not asked again
            viaAgent = Boolean.getBoolean("delegator.agent.declined") ? LightClient.DECLINED : LightClient.tryAgent(args, env, preRead);
            if (viaAgent >= 0) {
                System.exit(viaAgent);
                return;
            }
        }
        // an agent that declined a request is not asked again for it
        CallContext context = CallContext.process(env, viaAgent == LightClient.DECLINED ? null : args, preRead);
        int quick = QuickStart.execute(args, context);
        System.exit(quick >= 0 ? quick : utf8(DelegatorCommand.newCommandLine()).execute(args));
    }

    /**
     * Output in UTF-8 whatever the locale: a line, a path or a message holds the characters it was
     * given (printed in an ASCII locale they would become '?', a different command or path).
     */
    static CommandLine utf8(CommandLine cl) {
        return utf8(cl, new java.io.FileOutputStream(java.io.FileDescriptor.out), new java.io.FileOutputStream(java.io.FileDescriptor.err));
    }

    /** As {@link #utf8(CommandLine)}, onto the given streams (the agent's client's). */
    static CommandLine utf8(CommandLine cl, java.io.OutputStream out, java.io.OutputStream err) {
        cl.setOut(new java.io.PrintWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setErr(new java.io.PrintWriter(new java.io.OutputStreamWriter(err, java.nio.charset.StandardCharsets.UTF_8), true));
        return cl;
    }
}
