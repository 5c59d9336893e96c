package dev.delegator.plan;

/**
 * A step that touches nothing but its {@link #subject()}, so a run of steps of the same kind next
 * to each other in a plan may be carried out at the same time ({@link ConcurrentSteps}).
 */
interface IndependentStep extends Step {
    /** What the step alone changes (an account name): two steps with the same subject never overlap. */
    String subject();
}
