package dev.delegator.plan;

import dev.delegator.manifest.DelegateSpec;
import java.util.List;
import java.util.OptionalInt;

/** Creates a delegate account (see {@link dev.delegator.accounts.Accounts#createDelegate}). */
record CreateUserStep(String delegation, DelegateSpec spec, OptionalInt uid, OptionalInt gid, List<String> groups) implements IndependentStep {
    @Override
    public String subject() {
        return spec.user();
    }

    @Override
    public List<Change> changes() {
        String ids = uid.isPresent() ? " (uid " + uid.getAsInt() + ")" : "";
        return List.of(Change.of(Category.USERS_AND_GROUPS, Action.CREATE, "user " + spec.user() + ids,
                "delegate of " + delegation + ", home " + spec.home() + ", groups " + String.join(",", groups), delegation));
    }

    @Override
    public void execute(Execution ex) {
        // no lookup first: useradd refuses a name in use, and createDelegate examines that (a foreign account stops the apply)
        ex.target().accounts().createDelegate(spec.user(), spec.home(), uid, gid, groups, delegation);
    }
}
