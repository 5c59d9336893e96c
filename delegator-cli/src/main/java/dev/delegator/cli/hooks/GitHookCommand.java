package dev.delegator.cli.hooks;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.client.ClientPreparation;
import dev.delegator.client.RunRequest;
import dev.delegator.hooks.GitHook;
import dev.delegator.hooks.HookInputException;
import dev.delegator.invocation.ResolveException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code delegator hook git NAME}: a post-receive hook sending {@code deploy <sha> <ref>} per selected ref. */
@Command(name = "git", mixinStandardHelpOptions = true,
        description = "git post-receive hook: send the deploy verb with the new sha and ref of each selected ref "
                + "(default: the default branch); deletions are skipped.")
public final class GitHookCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--ref", paramLabel = "REF", description = "Ref to deploy (main or refs/heads/main; repeatable; "
            + "default: the branch HEAD points to).")
    List<String> refs = List.of();

    @Mixin
    final HookDelegation delegation;

    /** For the full command line: the client is built when the hook sends. */
    public GitHookCommand() {
        this(ClientPreparation.none(), dev.delegator.cli.agent.CallContext.process(dev.delegator.cli.ProcessInput.environment(), null, null));
    }

    /** For {@code QuickStart}: takes the client it began preparing while the arguments were parsed, and where it runs. */
    public GitHookCommand(ClientPreparation preparation, dev.delegator.cli.agent.CallContext context) {
        this.delegation = new HookDelegation(preparation, context);
    }

    @Override
    public Integer call() throws ResolveException {
        List<RunRequest> requests;
        try {
            Set<String> selected = refs.isEmpty() ? Set.of(GitHook.defaultBranch(gitDir())) : GitHook.fullRefs(refs);
            // strict: a ref name that is not UTF-8 is refused, never replaced by U+FFFD
            requests = GitHook.requests(new BufferedReader(new InputStreamReader(delegation.context().in(), StandardCharsets.UTF_8.newDecoder())),
                    delegation.verb, selected);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new UserFacingException(ExitCodes.USAGE, "post-receive stdin is not valid UTF-8; nothing was sent", e);
        } catch (HookInputException | IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return delegation.send(requests, spec.commandLine().getErr());
    }

    /** git runs post-receive with GIT_DIR set (or in the repository directory). */
    private Path gitDir() {
        String gitDir = delegation.context().env().get("GIT_DIR");
        Path cwd = delegation.context().cwd();
        return gitDir == null || gitDir.isEmpty() ? cwd : cwd.resolve(gitDir);
    }
}
