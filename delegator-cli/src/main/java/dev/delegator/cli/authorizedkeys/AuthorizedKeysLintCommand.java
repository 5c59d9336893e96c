package dev.delegator.cli.authorizedkeys;

import dev.delegator.authorizedkeys.AuthorizedKeysLinter;
import dev.delegator.authorizedkeys.LintProblem;
import dev.delegator.authorizedkeys.LintReport;
import dev.delegator.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delegator authorized-keys lint}: reports every problem in authorized_keys files. */
@Command(
        name = "lint",
        mixinStandardHelpOptions = true,
        description = {
            "Report every problem in authorized_keys files, one per line: file:line:col: problem: consequence.",
            "Files given together are checked for the same key across them (sshd reads authorized_keys and authorized_keys2).",
            "With --principals, the FILEs are AuthorizedPrincipalsFile files: each line must parse and carry restrict and"
                    + " command=; with --certificate CERT, a line for one of CERT's principals whose command= differs from CERT's"
                    + " force-command is reported (sshd refuses those logins).",
            "Exit 0 when clean, 1 when a problem was found, 3 when a file cannot be read.",
        })
public final class AuthorizedKeysLintCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "authorized_keys files.")
    List<Path> files;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--user", paramLabel = "USER",
            description = "The account the files authorize (allowed owner besides root); default: each file's owner.")
    String user;

    @Option(names = "--principals", description = "The files are AuthorizedPrincipalsFile files (certificate delegations).")
    boolean principals;

    @Option(names = "--certificate", paramLabel = "CERT",
            description = "With --principals: report lines for CERT's principals whose command= differs from CERT's force-command.")
    Path certificate;

    @Override
    public Integer call() throws java.io.IOException {
        AuthorizedKeysLinter linter = new AuthorizedKeysLinter(Clock.systemUTC(), ZoneId.systemDefault(), Optional.ofNullable(user));
        LintReport report;
        if (principals) {
            java.util.Map<String, Optional<String>> forced = new java.util.HashMap<>();
            if (certificate != null) {
                dev.delegator.certificates.UserCertificate c;
                try {
                    c = dev.delegator.certificates.UserCertificate.read(certificate);
                } catch (dev.delegator.certificates.CertificateFormatException e) {
                    throw new dev.delegator.cli.UserFacingException(ExitCodes.INVALID_INPUT, "authorized-keys lint: " + e.getMessage(), e);
                }
                c.principals().forEach(p -> forced.put(p, c.forceCommand()));
            }
            report = new dev.delegator.authorizedkeys.PrincipalsLinter(linter).lint(files, forced);
        } else if (certificate != null) {
            throw new dev.delegator.cli.UserFacingException(ExitCodes.USAGE, "authorized-keys lint: --certificate goes with --principals");
        } else {
            report = linter.lint(files);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (json) {
            out.println(report.toJson());
        } else {
            for (LintProblem p : report.problems()) {
                out.println(p);
            }
        }
        for (String u : report.unreadable()) {
            err.println("delegator: " + u);
        }
        out.flush();
        err.flush();
        if (!report.unreadable().isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        return report.problems().isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
    }
}
