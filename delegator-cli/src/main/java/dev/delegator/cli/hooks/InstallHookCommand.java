package dev.delegator.cli.hooks;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.hooks.HookInstaller;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delegator hook install (--hg REPO | --git REPO) NAME}. */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Add 'delegator hook hg|git NAME' to a repository's hooks, idempotently, keeping existing hooks.")
public final class InstallHookCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final class Repo {
        @Option(names = "--hg", paramLabel = "REPO", required = true, description = "A Mercurial repository.")
        Path hg;

        @Option(names = "--git", paramLabel = "REPO", required = true, description = "A git repository (bare or not).")
        Path git;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Repo repo;

    @Parameters(index = "0", paramLabel = "NAME", description = "The delegation.")
    String name;

    @Parameters(index = "1..*", paramLabel = "HOOK_ARG", description = "Extra arguments for the hook command, after --"
            + " (e.g. -- --each --timeout 10m).")
    java.util.List<String> hookArgs = new java.util.ArrayList<>();

    @Option(names = "--delegator", paramLabel = "PATH", description = "Absolute path of the delegator command the hook "
            + "runs (default: the launcher running this, from DELEGATOR_LAUNCHER, else /usr/bin/delegator).")
    Path delegator;

    @Override
    public Integer call() {
        Path launcher = delegator;
        if (launcher == null) {
            String env = dev.delegator.cli.ProcessInput.environment().get("DELEGATOR_LAUNCHER");
            launcher = Path.of(env == null || env.isBlank() ? "/usr/bin/delegator" : env);
        }
        try {
            HookInstaller.Change change = repo.hg != null
                    ? HookInstaller.installHg(repo.hg, name, launcher, hookArgs)
                    : HookInstaller.installGit(repo.git, name, launcher, hookArgs);
            Path where = repo.hg != null ? repo.hg.resolve(".hg/hgrc") : repo.git;
            spec.commandLine().getOut().println(switch (change) {
                case ADDED -> "added the " + name + " hook to " + where;
                case UPDATED -> "updated the " + name + " hook in " + where;
                case UNCHANGED -> "the " + name + " hook in " + where + " is already installed";
            });
            return ExitCodes.OK;
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(ExitCodes.USAGE, e.getMessage(), e);
        } catch (IOException e) {
            throw new UserFacingException(ExitCodes.INVALID_INPUT, e.getMessage(), e);
        }
    }
}
