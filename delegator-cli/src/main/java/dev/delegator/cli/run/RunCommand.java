package dev.delegator.cli.run;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.cli.agent.CallContext;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.RunRequest;
import dev.delegator.fanout.FanOutResult;
import dev.delegator.invocation.DelegationResolver;
import dev.delegator.invocation.Invocation;
import dev.delegator.invocation.ResolveException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code delegator run NAME [VERB ARG...]} and the explicit form
 * {@code delegator run --host H --user U --identity F --known-hosts F -- VERB ARG...}.
 * Remote output is relayed byte for byte to this process's stdout/stderr; stdin is forwarded.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a delegation's verb as its delegate over SSH; output and exit status come back.",
            "Exit: the remote status; 128+N when killed by signal N; 124 on --timeout; 255 when a host cannot be "
                    + "reached, authenticated or verified; with several hosts: 0 if all succeeded, else 255 if any "
                    + "was unreachable, else the first failing host's status."},
        footer = {"", "Examples:",
            "  delegator run blog deploy 3f2a...",
            "  delegator run --host web1 --host web2 --user dlg-blog --identity-env DEPLOY_KEY \\",
            "      --known-hosts-env DEPLOY_KNOWN_HOSTS --timeout 10m -- deploy 3f2a...",
            "  delegator run --hosts-file fleet.txt --user dlg-blog --identity key --known-hosts kh --json -- deploy 3f2a..."})
public final class RunCommand implements Callable<Integer> {
    private final ClientPreparation preparation;
    private final CallContext context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TargetOptions target = new TargetOptions();

    @Mixin
    RunSettings settings = new RunSettings();

    @CommandLine.Option(names = "--json",
            description = "Print the result of every host as one JSON object on stdout at the end; the relayed remote "
                    + "output (stdout and stderr) goes to stderr instead, prefixed with the host as in any fan-out.")
    boolean json;

    @Parameters(paramLabel = "NAME_OR_VERB", arity = "0..*",
            description = "NAME [VERB ARG...] (manifest form) or VERB ARG... (explicit form, after --).")
    List<String> words = new ArrayList<>();

    /** For the full command line: the client is built when the run starts. */
    public RunCommand() {
        this(ClientPreparation.none(), CallContext.process(dev.delegator.cli.ProcessInput.environment(), null, null));
    }

    /**
     * For {@code QuickStart}: takes the client it began preparing while the arguments were parsed,
     * and where it runs (this process, or the caller's agent).
     */
    public RunCommand(ClientPreparation preparation, CallContext context) {
        this.preparation = preparation;
        this.context = context;
    }

    @Override
    public Integer call() throws ResolveException {
        List<String> w = new ArrayList<>(words);
        java.util.Map<String, String> env = context.env();
        target.resolvedAgainst(context);
        settings.resolvedAgainst(context);
        String name = "-";
        if (!target.explicit()) {
            if (w.isEmpty()) {
                throw new UserFacingException(ExitCodes.USAGE, "name a delegation (delegator run NAME VERB ARG...) "
                        + "or give --host for the explicit form");
            }
            name = w.remove(0);
        }
        DelegationResolver.Resolved resolved = DelegationResolver.resolve(name, target.toSpec(), env);
        if (w.isEmpty()) {
            w = defaultRequest(resolved);
        }
        RunRequest request;
        try {
            request = new RunRequest(w);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, e.getMessage(), e);
        }
        // --json needs every host's result in this process; the agent relays only the exit status
        if (!json) {
            java.util.OptionalInt viaAgent = context.route(settings.reuse(resolved.delegation()), settings.reuseFlag(),
                    target.secretsFromEnvironment(), target.watchedFiles(resolved.targets(), !target.explicit()), spec.commandLine().getErr());
            if (viaAgent.isPresent()) {
                return viaAgent.getAsInt();
            }
        }
        // with --json stdout carries only the JSON document, so it parses whatever the hosts print
        OutputStream relayOut = json ? context.err() : context.out();
        List<FanOutResult> results = new ArrayList<>();
        int status = context.invocation(settings.toSettings(), preparation, target.root()).execute(resolved.targets(), List.of(request),
                context.in(), relayOut, context.err(), spec.commandLine().getErr(), results::add);
        if (json) {
            for (FanOutResult r : results) {
                spec.commandLine().getOut().println(r.toJson());
            }
            spec.commandLine().getOut().flush();
        }
        return status;
    }

    /** Without VERB: the delegation's only verb, when it takes no arguments. */
    private static List<String> defaultRequest(DelegationResolver.Resolved r) {
        if (r.delegation().isPresent() && r.delegation().get().verbs().size() == 1) {
            var verb = r.delegation().get().verbs().values().iterator().next();
            if (verb.args().isEmpty()) {
                return List.of(verb.name());
            }
        }
        throw new UserFacingException(ExitCodes.USAGE, "name the verb to run"
                + r.delegation().map(d -> " (" + String.join(", ", d.verbs().keySet()) + ")").orElse(""));
    }
}
