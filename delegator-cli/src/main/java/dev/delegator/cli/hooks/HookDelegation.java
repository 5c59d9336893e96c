package dev.delegator.cli.hooks;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.run.RunSettings;
import dev.delegator.cli.run.TargetOptions;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.RunRequest;
import dev.delegator.invocation.DelegationResolver;
import dev.delegator.invocation.ResolveException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What every VCS hook command takes (the delegation NAME, the verb, where to reach it, the run
 * settings) and what it does once it has turned the VCS's input into requests: send them. A picocli
 * mixin, so the git and hg hooks cannot drift apart in either.
 */
final class HookDelegation {
    private final ClientPreparation preparation;
    private final dev.delegator.cli.agent.CallContext context;

    HookDelegation(ClientPreparation preparation, dev.delegator.cli.agent.CallContext context) {
        this.preparation = preparation;
        this.context = context;
    }

    /** Where the hook runs: its environment, directory and streams. */
    dev.delegator.cli.agent.CallContext context() {
        return context;
    }

    @Parameters(index = "0", paramLabel = "NAME", description = "The delegation.")
    String name;

    @Option(names = "--verb", paramLabel = "VERB", description = "Verb to send (default: ${DEFAULT-VALUE}).")
    String verb = "deploy";

    @Mixin
    TargetOptions target = new TargetOptions();

    @Mixin
    RunSettings settings = new RunSettings();

    /**
     * Sends the requests to the delegation's hosts, relaying their output to this process's stdout and
     * stderr. Nothing to send is success. The remote side gets an empty stdin: the hook's own stdin
     * belongs to the VCS (git's ref list, already read; hg's wire protocol on an ssh push).
     *
     * @return the exit status (see ExitCodes and README "## run")
     */
    int send(List<RunRequest> requests, PrintWriter err) throws ResolveException {
        if (requests.isEmpty()) {
            return ExitCodes.OK;
        }
        java.util.Map<String, String> env = context.env();
        target.resolvedAgainst(context);
        settings.resolvedAgainst(context);
        DelegationResolver.Resolved resolved = DelegationResolver.resolve(name, target.toSpec(), env);
        java.util.OptionalInt viaAgent = context.route(settings.reuse(resolved.delegation()), settings.reuseFlag(),
                target.secretsFromEnvironment(), target.watchedFiles(resolved.targets(), true), err);
        if (viaAgent.isPresent()) {
            return viaAgent.getAsInt();
        }
        return context.invocation(settings.toSettings(), preparation, target.root()).execute(resolved.targets(),
                requests, InputStream.nullInputStream(), context.out(), context.err(), err);
    }
}
