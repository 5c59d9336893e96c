package dev.delegator.manifest;

import java.util.Objects;

/**
 * One problem found in a manifest: where it is ({@code file:line:column}, 1-based), which field
 * (a dotted path such as {@code delegations.blog.delegate.user}) and what to do about it.
 *
 * @param source the manifest's name as given to the loader (usually its path)
 * @param line 1-based line, 0 when the problem has no position (an unreadable file)
 * @param column 1-based column, 0 when the problem has no position
 * @param field dotted field path, empty for the document itself
 * @param message what is wrong and what to do
 */
public record ManifestProblem(String source, int line, int column, String field, String message) {
    public ManifestProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        if (line < 0 || column < 0) {
            throw new IllegalArgumentException("line (" + line + ") and column (" + column + ") must be >= 0");
        }
    }

    /** {@code file:line:column: field: message}, the one-line form printed to the user. */
    @Override
    public String toString() {
        String where = line == 0 ? source : source + ":" + line + ":" + column;
        return field.isEmpty() ? where + ": " + message : where + ": " + field + ": " + message;
    }
}
