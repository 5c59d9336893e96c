package dev.delegator.authorizedkeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lints AuthorizedPrincipalsFile files: every line sshd would not read as written, every line
 * that does not carry {@code restrict} and {@code command=} (a certificate without its own
 * force-command would then run anything), and, given a certificate's principals and
 * force-command, every line for one of those principals whose {@code command=} differs from it
 * (sshd refuses that certificate's logins: "forced command options do not match"). Files are
 * checked for safety like authorized_keys files (sshd opens them as the user).
 */
public final class PrincipalsLinter {
    private final AuthorizedKeysLinter files;

    public PrincipalsLinter(AuthorizedKeysLinter files) {
        this.files = files;
    }

    /**
     * @param forceCommands a certificate's principals, each to its force-command; empty to skip that check
     */
    public LintReport lint(List<Path> paths, Map<String, Optional<String>> forceCommands) {
        List<LintProblem> problems = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path path : paths) {
            String source = path.toString();
            List<String> lines;
            try {
                lines = List.of(new String(Files.readAllBytes(path), StandardCharsets.UTF_8).split("\n", -1));
            } catch (IOException e) {
                unreadable.add(source + ": cannot read: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                continue;
            }
            problems.addAll(files.fileSafety(path));
            for (int i = 0; i < lines.size(); i++) {
                problems.addAll(lintLine(source, i + 1, lines.get(i), forceCommands));
            }
        }
        return new LintReport(problems, unreadable);
    }

    /** The problems of one line ({@code number} 1-based). */
    public List<LintProblem> lintLine(String source, int number, String text, Map<String, Optional<String>> forceCommands) {
        List<LintProblem> out = new ArrayList<>();
        if (LineParser.ignoredBySshd(text)) {
            return out;
        }
        PrincipalsLine line;
        try {
            line = PrincipalsLine.parse(text.strip());
        } catch (AuthorizedKeysSyntaxException e) {
            out.add(new LintProblem(source, number, e.column(), "unparsable", e.problem(), e.consequence()));
            return out;
        }
        if (line.options().stream().noneMatch(o -> o.is(OptionKind.RESTRICT))) {
            out.add(new LintProblem(source, number, 1, "principals-without-restrict", "principals line without restrict",
                    "a certificate for " + line.principal() + " may forward ports, agent and X11, get a pty and run ~/.ssh/rc"));
        }
        if (line.command().isEmpty()) {
            out.add(new LintProblem(source, number, 1, "principals-without-command", "principals line without command=",
                    "a certificate for " + line.principal() + " without its own force-command runs whatever the client asks"));
        }
        Optional<String> forced = forceCommands.getOrDefault(line.principal(), Optional.empty());
        if (forced.isPresent() && line.command().isPresent() && !forced.get().equals(line.command().get())) {
            out.add(new LintProblem(source, number, 1, "command-differs-from-certificate",
                    "command=\"" + line.command().get() + "\" differs from the certificate's force-command \"" + forced.get() + "\"",
                    "sshd refuses the certificate's logins (forced command options do not match)"));
        }
        return out;
    }
}
