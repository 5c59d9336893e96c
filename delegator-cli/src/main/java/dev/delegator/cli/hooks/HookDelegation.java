package dev.delegator.cli.hooks;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.run.RunSettings;
import dev.delegator.cli.run.TargetOptions;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.RunRequest;
import dev.delegator.invocation.DelegationResolver;
import dev.delegator.invocation.Invocation;
import dev.delegator.invocation.ResolveException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
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

    HookDelegation(ClientPreparation preparation) {
        this.preparation = preparation;
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
        java.util.Map<String, String> env = dev.delegator.cli.ProcessInput.environment();
        return new Invocation(settings.toSettings(), env, preparation, target.root()).execute(
                DelegationResolver.resolve(name, target.toSpec(), env).targets(),
                requests, InputStream.nullInputStream(), new FileOutputStream(FileDescriptor.out),
                new FileOutputStream(FileDescriptor.err), err);
    }
}
