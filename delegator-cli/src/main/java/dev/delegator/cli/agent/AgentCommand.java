package dev.delegator.cli.agent;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.ProcessInput;
import dev.delegator.cli.UserFacingException;
import dev.delegator.cli.run.Durations;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delegator agent status|stop}: the caller's connection-reuse agent (README "Connection reuse"). */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "The caller's connection-reuse agent: status, stop.",
        subcommands = {AgentCommand.Status.class, AgentCommand.Stop.class, AgentCommand.Serve.class})
public final class AgentCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Show this caller's agent: pid, idle period, requests, kept connections.",
                "Exit: 0 when an agent is running, 1 when none is."})
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            boolean running = ask(spec, AgentControl::status);
            return running ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop this caller's agent now: its connections close (a request running on one ends with 255).",
                "Exit: 0, also when none was running."})
    static final class Stop implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            // stopped or not running: either way no agent runs now
            ask(spec, AgentControl::stop);
            return ExitCodes.OK;
        }
    }

    /** The agent process itself, as {@code delegator run} starts it; not for people. */
    @Command(name = "serve", hidden = true, description = "Run the agent (started by run and the hooks when reuse is on).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--dir", required = true, paramLabel = "DIR")
        Path dir;

        @Option(names = "--idle", required = true, paramLabel = "DURATION", converter = Durations.class)
        Duration idle;

        @Override
        public Integer call() {
            return AgentServer.serve(dir, idle, System.out);
        }
    }

    private interface Ask {
        Optional<String> get(Path dir) throws IOException;
    }

    /**
     * Asks this caller's agent (status or stop) and prints its answer, or the one "no agent
     * running" line; whether an agent answered.
     */
    private static boolean ask(CommandLine.Model.CommandSpec spec, Ask a) {
        Path dir = AgentControl.directory(ProcessInput.environment());
        Optional<String> answer;
        try {
            answer = a.get(dir);
        } catch (IOException e) {
            throw new UserFacingException(ExitCodes.REFUSED, e.getMessage(), e);
        }
        spec.commandLine().getOut().print(answer.orElse("no agent running (" + dir.resolve(AgentDirectory.SOCKET) + ")\n"));
        spec.commandLine().getOut().flush();
        return answer.isPresent();
    }
}
