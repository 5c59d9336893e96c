package dev.delegator.accounts;

import dev.delegator.manifest.IdRange;
import dev.delegator.systemtools.SystemTool;
import dev.delegator.systemtools.SystemToolException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The system's accounts through its own tools: {@code getent} to read (so NSS sources count),
 * {@code groupadd}/{@code useradd}/{@code usermod}/{@code userdel} to change. Delegate accounts
 * are system accounts with shell {@code /bin/sh} (dash: no startup files before the forced
 * command), password field {@code *} (no password, but not locked: with {@code UsePAM no} sshd
 * refuses key logins to a {@code !} account), a user-private primary group, and the GECOS marker
 * {@code delegator=<delegation>} by which delegator knows the accounts it owns.
 */
public final class Accounts {
    /** The shell every delegate gets. */
    public static final String SHELL = "/bin/sh";

    /** Every account, read once (for planning). */
    public AccountsSnapshot snapshot() {
        return new AccountsSnapshot();
    }

    /** Reads a user, empty when there is none. */
    public Optional<PosixUser> user(String name) {
        SystemTool.Result r = SystemTool.run(List.of("getent", "passwd", name));
        if (r.status() == 2) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new SystemToolException("getent passwd " + name + " failed: " + r.firstErrorLine());
        }
        return Optional.of(PosixUser.parse(r.stdout().strip()));
    }

    /** Reads a group, empty when there is none. */
    public Optional<PosixGroup> group(String name) {
        SystemTool.Result r = SystemTool.run(List.of("getent", "group", name));
        if (r.status() == 2) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new SystemToolException("getent group " + name + " failed: " + r.firstErrorLine());
        }
        return Optional.of(PosixGroup.parse(r.stdout().strip()));
    }

    /** The shadow password field of a user ({@code *}, {@code !}, {@code !*}, a hash), empty if unknown. */
    public Optional<String> passwordField(String name) {
        SystemTool.Result r = SystemTool.run(List.of("getent", "shadow", name));
        if (!r.ok()) {
            return Optional.empty();
        }
        String[] f = r.stdout().strip().split(":", -1);
        return f.length > 1 ? Optional.of(f[1]) : Optional.empty();
    }

    /** The names of every group the user is in (primary and supplementary). */
    public Set<String> groupsOf(String user) {
        SystemTool.Result r = SystemTool.check(List.of("id", "-nG", user));
        return new HashSet<>(List.of(r.stdout().strip().split("\\s+")));
    }

    /** Creates a system group, with {@code gid} when given. */
    public void createGroup(String name, OptionalInt gid) {
        List<String> argv = new ArrayList<>(List.of("groupadd", "--system"));
        gid.ifPresent(g -> argv.addAll(List.of("--gid", Integer.toString(g))));
        argv.add(name);
        SystemTool.Result r = runLocked(argv);
        // 9: the name exists (made meanwhile, e.g. by an apply that was killed after starting groupadd)
        if (!r.ok() && !(r.status() == 9 && group(name).isPresent())) {
            throw new SystemToolException(String.join(" ", argv) + " failed: " + r.firstErrorLine());
        }
    }

    /**
     * Runs useradd/groupadd/usermod, retrying while another process holds the passwd/group locks
     * (exit 1 or 10 with "cannot lock"): a concurrent admin tool, or the orphaned useradd of an
     * apply that was killed, finishing its work.
     */
    private static SystemTool.Result runLocked(List<String> argv) {
        SystemTool.Result r = SystemTool.run(argv);
        for (int attempt = 0; attempt < 50 && !r.ok() && (r.status() == 1 || r.status() == 10)
                && r.firstErrorLine().contains("lock"); attempt++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            r = SystemTool.run(argv);
        }
        return r;
    }

    /**
     * Creates a delegate account with a user-private group of the same name: one
     * {@code useradd --system --user-group --shell /bin/sh --password '*' --create-home}, or, when
     * {@code gid} is given or the group exists already, {@code groupadd} (if needed) then
     * {@code useradd --gid}. Nothing is looked up first: a {@code getent} costs as much as the
     * {@code useradd}, and useradd refuses a name in use by itself (exit 9), which is examined then.
     * A user of that name made meanwhile for this delegation (by an apply that was killed after
     * starting useradd) is left as it is.
     *
     * @return true when this call created the account, false when it existed already
     * @throws ForeignAccountException when an account of that name not made for this delegation exists
     */
    public boolean createDelegate(String name, Path home, OptionalInt uid, OptionalInt gid, List<String> groups, String delegation) {
        if (gid.isPresent()) {
            createGroup(name, gid);
        }
        SystemTool.Result r = runLocked(useradd(name, home, uid, groups, delegation, gid.isEmpty()));
        if (r.status() == 9 && gid.isEmpty() && user(name).isEmpty() && group(name).isPresent()) {
            // the group of that name exists (a delegate removed without its group, or made by hand): use it, as groupadd would have
            r = runLocked(useradd(name, home, uid, groups, delegation, false));
        }
        if (r.ok()) {
            return true;
        }
        Optional<PosixUser> existing = r.status() == 9 ? user(name) : Optional.empty();
        if (existing.isPresent()) {
            if (!existing.get().gecos().equals(PosixUser.MARKER_PREFIX + delegation)) {
                // never go on to authorize a key for an account someone else made meanwhile
                throw new ForeignAccountException(foreignMessage(existing.get()));
            }
            return false;
        }
        throw new SystemToolException(String.join(" ", useradd(name, home, uid, groups, delegation, gid.isEmpty()))
                + " failed: " + r.firstErrorLine());
    }

    private static List<String> useradd(String name, Path home, OptionalInt uid, List<String> groups, String delegation, boolean userGroup) {
        List<String> argv = new ArrayList<>(List.of("useradd", "--system", "--shell", SHELL, "--password", "*",
                "--home-dir", home.toString(), "--create-home"));
        argv.addAll(userGroup ? List.of("--user-group") : List.of("--gid", name));
        argv.addAll(List.of("--comment", PosixUser.MARKER_PREFIX + delegation));
        if (!groups.isEmpty()) {
            argv.addAll(List.of("--groups", String.join(",", groups)));
        }
        uid.ifPresent(u -> argv.addAll(List.of("--uid", Integer.toString(u))));
        argv.add(name);
        return argv;
    }

    /** Repairs a delegator-owned delegate: shell, home, supplementary groups, password field {@code *}. */
    public void repairDelegate(String name, Path home, List<String> groups) {
        PosixUser u = requireOwned(name);
        List<String> argv = new ArrayList<>(List.of("usermod", "--shell", SHELL, "--password", "*"));
        if (!u.home().equals(home)) {
            argv.addAll(List.of("--home", home.toString()));
        }
        argv.addAll(List.of("--groups", String.join(",", groups)));
        argv.add(name);
        SystemTool.Result r = runLocked(argv);
        if (!r.ok()) {
            throw new SystemToolException(String.join(" ", argv) + " failed: " + r.firstErrorLine());
        }
    }

    /**
     * Removes a delegator-owned delegate and its home (delegator created both), and its
     * user-private group when nobody else is in it.
     *
     * @throws ForeignAccountException for an account delegator did not create
     */
    public void deleteDelegate(String name) {
        requireOwned(name);
        // end the delegate's processes first: userdel refuses a logged-in user
        SystemTool.run(List.of("pkill", "-KILL", "-u", name));
        SystemTool.check(List.of("userdel", "--remove", name));
        Optional<PosixGroup> g = group(name);
        if (g.isPresent() && g.get().members().isEmpty()) {
            SystemTool.run(List.of("groupdel", name));
        }
    }

    /** The account, if delegator created it; a foreign account is refused. */
    public PosixUser requireOwned(String name) {
        PosixUser u = user(name).orElseThrow(() -> new IllegalStateException("user " + name + " does not exist"));
        if (!u.ownedByDelegator()) {
            throw new ForeignAccountException(foreignMessage(u));
        }
        return u;
    }

    /** Why delegator leaves this account alone, and what the admin can do. */
    public static String foreignMessage(PosixUser u) {
        return "account " + u.name() + " (uid " + u.uid() + ") exists and was not created by delegator (its GECOS is '"
                + u.gecos() + "', not 'delegator=...'); delegator never modifies it: choose another delegate user";
    }

    /** The lowest id in {@code range} that no user (or, for gids, no group) has. */
    public OptionalInt freeId(IdRange range, boolean forGroups, Set<Integer> alsoTaken) {
        Set<Integer> used = new HashSet<>(alsoTaken);
        SystemTool.Result r = SystemTool.check(List.of("getent", forGroups ? "group" : "passwd"));
        for (String line : r.stdout().split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length > 2 && f[2].matches("[0-9]+")) {
                used.add(Integer.parseInt(f[2]));
            }
        }
        for (int id = range.first(); id <= range.last(); id++) {
            if (!used.contains(id)) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }
}
