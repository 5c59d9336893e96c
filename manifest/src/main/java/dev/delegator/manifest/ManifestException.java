package dev.delegator.manifest;

import java.util.List;

/**
 * A manifest that cannot be used. The loader reports every problem it can find (lenient
 * reporting), and refuses the whole manifest if there is any (strict refusal): nothing is
 * planned or applied from a manifest with a problem.
 */
public final class ManifestException extends Exception {
    private final List<ManifestProblem> problems;

    public ManifestException(List<ManifestProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in document order. Never empty. */
    public List<ManifestProblem> problems() {
        return problems;
    }

    private static String summary(List<ManifestProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ManifestException needs at least one problem");
        }
        String first = problems.get(0).toString();
        return problems.size() == 1 ? first : first + " (and " + (problems.size() - 1) + " more problem"
                + (problems.size() == 2 ? "" : "s") + ")";
    }
}
