package dev.delegator.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates real throwaway accounts with the system's useradd and removes them (and their
 * processes and homes) on close. Accounts get password field {@code *} (no password, not locked:
 * sshd with UsePAM no refuses public-key logins to a {@code !} account) and {@code /bin/sh}.
 */
public final class TestUsers implements AutoCloseable {
    private final List<String> created = new ArrayList<>();

    /** A new account named {@code prefix<6 hex>} with a home under {@code homeParent}. */
    public TestUser create(String prefix, Path homeParent) {
        Prerequisites.requireRoot();
        String name = prefix + TestRoot.randomSuffix();
        Path home = homeParent.resolve(name);
        ExternalCommand.check("useradd", "--system", "--user-group", "--create-home", "--home-dir", home.toString(),
                "--shell", "/bin/sh", name);
        created.add(name);
        ExternalCommand.check("usermod", "-p", "*", name);
        return lookup(name, home);
    }

    /** Registers an account made some other way (e.g. by delegator apply) so close() removes it. */
    public void adopt(String name) {
        created.add(name);
    }

    private static TestUser lookup(String name, Path home) {
        int uid = Integer.parseInt(ExternalCommand.check("id", "-u", name).trim());
        int gid = Integer.parseInt(ExternalCommand.check("id", "-g", name).trim());
        return new TestUser(name, uid, gid, home);
    }

    @Override
    public void close() {
        for (String name : created) {
            endProcessesOf(name);
            ExternalCommand.run("userdel", "--remove", name);
            // a user-group left behind when userdel did not own it
            ExternalCommand.run("groupdel", name);
        }
        created.clear();
    }

    /**
     * Kills the account's processes until none is left: userdel refuses an account that still has
     * a (killed but not yet reaped) process, which would leave the account behind; a process forked
     * meanwhile is killed by the next round.
     */
    public static void endProcessesOf(String name) {
        for (int i = 0; i < 100; i++) {
            ExternalCommand.run("pkill", "-KILL", "-u", name);
            if (ExternalCommand.run("pgrep", "-u", name).exitCode() == 1) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
