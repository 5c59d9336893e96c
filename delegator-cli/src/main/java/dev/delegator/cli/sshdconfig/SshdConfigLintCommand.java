package dev.delegator.cli.sshdconfig;

import dev.delegator.accounts.Accounts;
import dev.delegator.accounts.PosixGroup;
import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import dev.delegator.sshdconfig.ClientEnvironment;
import dev.delegator.sshdconfig.DropIn;
import dev.delegator.sshdconfig.Sshd;
import dev.delegator.sshdconfig.SshdPaths;
import dev.delegator.systemtools.SystemToolException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delegator sshd-config lint}: the environment settings of {@link ClientEnvironment}, from sshd -T. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Report sshd settings that let environment variables reach a delegate's forced command, one per line: config: setting: consequence.",
            "Reads sshd's own view (sshd -T, and sshd -T -C user=USER for each delegate).",
            "Exit 0 when clean, 1 when a problem was found, 6 when sshd -T fails.",
        })
public final class SshdConfigLintCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--sshd-config", paramLabel = "FILE", description = "sshd's config (default ${DEFAULT-VALUE}).", defaultValue = "/etc/ssh/sshd_config")
    Path sshdConfig;

    @Option(names = "--sshd", paramLabel = "FILE", description = "The sshd binary used for -T (default ${DEFAULT-VALUE}).", defaultValue = "/usr/sbin/sshd")
    Path sshdBinary;

    @Option(names = "--user", paramLabel = "USER", description = "A delegate to check AcceptEnv for (repeatable; default: the members of group delegator).")
    List<String> users;

    @Override
    public Integer call() {
        List<String> delegates = users != null ? users
                : new Accounts().group(DropIn.GROUP).map(PosixGroup::members).orElse(List.of());
        Sshd sshd = new Sshd(new SshdPaths(sshdConfig.toAbsolutePath(), sshdBinary.toAbsolutePath()));
        List<String> problems;
        try {
            problems = ClientEnvironment.problems(sshd, delegates);
        } catch (SystemToolException e) {
            throw new UserFacingException(ExitCodes.SYSTEM_TOOL_FAILED, e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String p : problems) {
            out.println(sshdConfig.toAbsolutePath() + ": " + p);
        }
        out.flush();
        return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
    }
}
