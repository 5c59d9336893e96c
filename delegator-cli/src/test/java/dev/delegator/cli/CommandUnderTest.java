package dev.delegator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The {@code delegator} command line run in-process, as a user would call it, with its out and err
 * captured: what the command tests assert on. Each run gets a fresh {@link DelegatorCommand#newCommandLine()},
 * so no state carries over between runs.
 */
public final class CommandUnderTest {
    private CommandUnderTest() {}

    /** What one run left: the exit status and everything written to out and to err. */
    public record Run(int status, String out, String err) {}

    /** Runs {@code delegator ARGS...} and returns its exit status and captured output. */
    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = DelegatorCommand.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }
}
