package dev.delegator.plan;

import java.util.List;

/**
 * Removes a delegate account delegator created, with its home ({@code revoke --remove-user};
 * apply never removes accounts). {@link dev.delegator.accounts.Accounts#deleteDelegate} checks
 * the delegator mark again, so an account swapped in since the plan is refused, not removed.
 */
record DeleteUserStep(String delegation, String user) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(Change.of(Category.USERS_AND_GROUPS, Action.REMOVE, "user " + user, "revoked with --remove-user", delegation));
    }

    @Override
    public void execute(Execution ex) {
        if (ex.target().accounts().user(user).isPresent()) {
            ex.target().accounts().deleteDelegate(user);
        }
    }
}
