package dev.delegator.authorizedkeys;

import java.util.Objects;
import java.util.Optional;

/**
 * An authorized_keys line sshd would not read as we meant it. Carries the 1-based column (and,
 * once a file reader adds them, the source and line), the problem, and what sshd does with the line.
 * The message has the lint form {@code file:line:col: problem: consequence}.
 */
public class AuthorizedKeysSyntaxException extends AuthorizedKeysException {
    private static final long serialVersionUID = 1L;

    /** What sshd does with a line it cannot parse. */
    public static final String SSHD_SKIPS_LINE = "sshd skips this line";

    private final String source;
    private final int line;
    private final int column;
    private final String problem;
    private final String consequence;

    public AuthorizedKeysSyntaxException(int column, String problem, String consequence) {
        this(null, 0, column, problem, consequence);
    }

    private AuthorizedKeysSyntaxException(String source, int line, int column, String problem, String consequence) {
        super(format(source, line, column, problem, consequence));
        if (column < 1) {
            throw new IllegalArgumentException("column (" + column + ") must be 1 or more");
        }
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = Objects.requireNonNull(problem, "problem");
        this.consequence = Objects.requireNonNull(consequence, "consequence");
    }

    /** The same error located in {@code source} at 1-based {@code line}. */
    public AuthorizedKeysSyntaxException at(String source, int line) {
        return new AuthorizedKeysSyntaxException(source, line, column, problem, consequence);
    }

    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** 1-based line, 0 when parsed from a single string. */
    public int line() {
        return line;
    }

    /** 1-based column (in characters) where the problem starts. */
    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }

    /** What sshd does, e.g. {@value #SSHD_SKIPS_LINE}. */
    public String consequence() {
        return consequence;
    }

    private static String format(String source, int line, int column, String problem, String consequence) {
        String where = (source == null ? "" : source + ":") + (line > 0 ? line + ":" : "") + column;
        if (source == null && line == 0) {
            where = "column " + column;
        }
        return where + ": " + problem + ": " + consequence;
    }
}
