package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An allowed verb: the request {@code <name> <arg>...} runs {@code run} with the arguments,
 * each of which must fully match its pattern (Java/POSIX-ERE common subset, see {@link ArgPattern}).
 *
 * @param capabilities what the work of this verb runs with, in the manifest's order, each one
 *     {@link Capabilities#problem} accepts; empty (the default) for none
 */
public record Verb(String name, Path run, List<String> args, List<String> capabilities) {
    /** A verb without capabilities. */
    public Verb(String name, Path run, List<String> args) {
        this(name, run, args, List.of());
    }

    public Verb {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(run, "run");
        args = List.copyOf(args);
        capabilities = List.copyOf(capabilities);
        for (String c : capabilities) {
            Capabilities.problem(c).ifPresent(p -> {
                throw new IllegalArgumentException("capability (" + c + "): " + p);
            });
        }
        if (new java.util.HashSet<>(capabilities).size() != capabilities.size()) {
            throw new IllegalArgumentException("capabilities (" + capabilities + ") must not repeat a name");
        }
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
