package dev.delegator.authorizedkeys;

import java.util.Objects;

/**
 * One problem lint found: where, what, and what sshd does because of it.
 *
 * @param source      the file (as given)
 * @param line        1-based line, 0 for a problem with the file itself (mode, owner)
 * @param column      1-based column, 0 with line 0
 * @param kind        a stable identifier for scripts, e.g. {@code unknown-option}, {@code duplicate-key}
 * @param problem     what is wrong, e.g. {@code unknown option "no-ptty"}
 * @param consequence what sshd does, e.g. {@code sshd skips this line}
 */
public record LintProblem(String source, int line, int column, String kind, String problem, String consequence) {
    public LintProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(consequence, "consequence");
        if (line < 0 || column < 0 || (line == 0) != (column == 0)) {
            throw new IllegalArgumentException("line (" + line + ") and column (" + column + ") must both be positive or both 0");
        }
    }

    /** {@code file:line:col: problem: consequence}, or {@code file: problem: consequence} for file-level problems. */
    @Override
    public String toString() {
        return source + (line > 0 ? ":" + line + ":" + column : "") + ": " + problem + ": " + consequence;
    }
}
