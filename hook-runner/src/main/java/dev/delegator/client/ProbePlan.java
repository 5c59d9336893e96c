package dev.delegator.client;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The requests {@code delegator verify} sends that depend on the delegation: a command that is
 * no declared verb, and a declared verb with an argument the dispatcher must refuse. Neither is
 * ever a valid request, so no real work runs.
 *
 * @param unknownVerb a request naming no declared verb
 * @param badArgument a declared verb followed by {@link #BAD_ARGUMENT}; empty when no verb is known
 *     (the explicit form without {@code --verb})
 */
public record ProbePlan(String unknownVerb, Optional<String> badArgument) {
    /**
     * The dispatcher refuses every argument that starts with '-', and a verb without arguments
     * refuses any argument: so this is a bad argument for every verb, whatever its patterns.
     */
    public static final String BAD_ARGUMENT = "-delegator-verify";

    static final String UNKNOWN_VERB = "delegator-verify-no-such-verb";

    public ProbePlan {
        Objects.requireNonNull(unknownVerb, "unknownVerb");
        Objects.requireNonNull(badArgument, "badArgument");
    }

    /**
     * @param declaredVerbs every verb the delegation declares (the unknown one is chosen outside them);
     *     empty when they are not known
     * @param verb the declared verb to try with a bad argument, if one is known
     */
    public static ProbePlan of(Collection<String> declaredVerbs, Optional<String> verb) {
        Set<String> declared = Set.copyOf(declaredVerbs);
        String unknown = UNKNOWN_VERB;
        for (int i = 2; declared.contains(unknown); i++) {
            unknown = UNKNOWN_VERB + i;
        }
        return new ProbePlan(unknown, verb.map(v -> v + " " + BAD_ARGUMENT));
    }
}
