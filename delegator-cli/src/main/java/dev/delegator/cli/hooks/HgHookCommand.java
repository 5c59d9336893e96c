package dev.delegator.cli.hooks;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.RunRequest;
import dev.delegator.hooks.HgHook;
import dev.delegator.hooks.HookInputException;
import dev.delegator.invocation.ResolveException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code delegator hook hg NAME}: for {@code [hooks] changegroup.x = delegator hook hg NAME}. Sends
 * {@code deploy <node>} for the tip (or each) new changeset. hg's stdin is never read: on an ssh
 * push it is the wire protocol.
 */
@Command(name = "hg", mixinStandardHelpOptions = true,
        description = "Mercurial changegroup/incoming hook: send the deploy verb with the new tip (or each new changeset).",
        footer = {"", "In .hg/hgrc:", "  [hooks]", "  changegroup.delegator-blog = /usr/bin/delegator hook hg blog"})
public final class HgHookCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--each", description = "One request per new changeset, in order, stopping at the first failure "
            + "(default: the tip only).")
    boolean each;

    @Option(names = "--source", paramLabel = "SOURCE", description = "Only act when HG_SOURCE is one of these "
            + "(push, serve, pull, unbundle; repeatable; default: any).")
    List<String> sources = List.of();

    @Mixin
    final HookDelegation delegation;

    /** For the full command line: the client is built when the hook sends. */
    public HgHookCommand() {
        this(ClientPreparation.none(), dev.delegator.cli.agent.CallContext.process(dev.delegator.cli.ProcessInput.environment(), null, null));
    }

    /** For {@code QuickStart}: takes the client it began preparing while the arguments were parsed, and where it runs. */
    public HgHookCommand(ClientPreparation preparation, dev.delegator.cli.agent.CallContext context) {
        this.delegation = new HookDelegation(preparation, context);
    }

    @Override
    public Integer call() throws ResolveException {
        List<RunRequest> requests;
        try {
            requests = HgHook.requests(delegation.context().env(), delegation.verb, each ? HgHook.Changesets.EACH : HgHook.Changesets.TIP,
                    new HashSet<>(sources), delegation.context().cwd());
        } catch (HookInputException | IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, e.getMessage(), e);
        }
        return delegation.send(requests, spec.commandLine().getErr());
    }
}
