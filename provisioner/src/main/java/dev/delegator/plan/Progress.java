package dev.delegator.plan;

/** Told before each step apply carries out (the CLI shows {@code [3/120] + user dlg-blog}). */
@FunctionalInterface
public interface Progress {
    void starting(int index, int total, Step step);

    Progress NONE = (i, n, s) -> { };
}
