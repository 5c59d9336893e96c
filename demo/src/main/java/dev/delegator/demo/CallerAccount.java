package dev.delegator.demo;

import dev.delegator.localsshd.Command;

/**
 * The caller account the demo creates: a system account that owns the repository and runs the
 * hook (in real life the {@code hg} service account). Locked password, /bin/sh, its home in the run
 * directory, a user-private group.
 */
final class CallerAccount {
    private CallerAccount() {}

    static void create(DemoRun run, DemoState state) {
        state.addUser(run.caller());
        state.addGroup(run.caller());
        Dirs.create(run.homes());
        Command.of("useradd", "--system", "--user-group", "--shell", "/bin/sh", "--home-dir", run.callerHome().toString(),
                "--create-home", "--comment", "delegator demo caller (run " + run.id() + ")", run.caller()).check();
    }
}
