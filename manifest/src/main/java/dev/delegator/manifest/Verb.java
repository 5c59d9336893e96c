package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An allowed verb: the request {@code <name> <arg>...} runs {@code run} with the arguments,
 * each of which must fully match its pattern (Java/POSIX-ERE common subset, see {@link ArgPattern}).
 */
public record Verb(String name, Path run, List<String> args) {
    public Verb {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(run, "run");
        args = List.copyOf(args);
        if (!Names.isVerbName(name)) {
            throw new IllegalArgumentException("verb name (" + name + ") must match [a-z][a-z0-9_-]{0,31}");
        }
        if (!Names.isAbsoluteNormalPath(run.toString())) {
            throw new IllegalArgumentException("verb run (" + run + ") must be an absolute normalized path");
        }
        for (String a : args) {
            ArgPattern.problem(a).ifPresent(p -> {
                throw new IllegalArgumentException("argument pattern (" + a + "): " + p);
            });
        }
    }
}
