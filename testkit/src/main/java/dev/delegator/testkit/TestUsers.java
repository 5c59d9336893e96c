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
            ExternalCommand.run("pkill", "-KILL", "-u", name);
            awaitNoProcesses(name);
            ExternalCommand.run("userdel", "--remove", name);
            // a user-group left behind when userdel did not own it
            ExternalCommand.run("groupdel", name);
        }
        created.clear();
    }

    /** userdel refuses an account while a killed process of it is not yet reaped; wait for that. */
    private static void awaitNoProcesses(String name) {
        for (int i = 0; i < 100 && ExternalCommand.run("pgrep", "-u", name).exitCode() == 0; i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
