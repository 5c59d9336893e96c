package dev.delegator.plan;

import java.util.List;
import java.util.OptionalInt;

/** Creates a missing group ({@code groupadd --system}). */
record GroupStep(String name, OptionalInt gid, String why) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(Change.of(Category.USERS_AND_GROUPS, Action.CREATE, "group " + name + gid.stream().mapToObj(g -> " (gid " + g + ")").findFirst().orElse(""), why, null));
    }

    @Override
    public void execute(Execution ex) {
        if (ex.target().accounts().group(name).isEmpty()) {
            ex.target().accounts().createGroup(name, gid);
        }
    }
}
