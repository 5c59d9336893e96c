package dev.delegator.plan;

import dev.delegator.files.FileOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Repairs a delegator-owned delegate account: shell, password field, groups, home. */
record RepairUserStep(String delegation, String user, Path home, List<String> groups, List<String> reasons) implements Step {
    @Override
    public List<Change> changes() {
        return List.of(Change.of(Category.USERS_AND_GROUPS, Action.UPDATE, "user " + user, String.join("; ", reasons), delegation));
    }

    @Override
    public void execute(Execution ex) throws IOException {
        ex.target().accounts().repairDelegate(user, home, groups);
        if (!Files.isDirectory(home, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(home);
            FileStatus.setMode(home, FileStatus.perms(0750));
            new FileOwner(user, user).applyTo(home);
        }
    }
}
