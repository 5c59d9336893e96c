package dev.delegator.accounts;

import dev.delegator.systemtools.SystemTool;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every user, group and shadow password field, read once with three {@code getent} calls, for
 * planning: a plan for 100 delegations would otherwise spawn several hundred {@code getent}
 * processes. Read-only and immediately stale; steps that change accounts use {@link Accounts}.
 */
public final class AccountsSnapshot {
    private final Map<String, PosixUser> users = new HashMap<>();
    private final Map<String, PosixGroup> groups = new HashMap<>();
    private final Map<Integer, PosixGroup> groupsByGid = new HashMap<>();
    private final Map<String, String> passwords = new HashMap<>();

    AccountsSnapshot() {
        for (String line : SystemTool.check(List.of("getent", "passwd")).stdout().split("\n")) {
            if (!line.isBlank()) {
                PosixUser u = PosixUser.parse(line);
                users.putIfAbsent(u.name(), u);
            }
        }
        for (String line : SystemTool.check(List.of("getent", "group")).stdout().split("\n")) {
            if (!line.isBlank()) {
                PosixGroup g = PosixGroup.parse(line);
                groups.putIfAbsent(g.name(), g);
                groupsByGid.putIfAbsent(g.gid(), g);
            }
        }
        SystemTool.Result shadow = SystemTool.run(List.of("getent", "shadow"));
        if (shadow.ok()) {
            for (String line : shadow.stdout().split("\n")) {
                String[] f = line.split(":", -1);
                if (f.length > 1) {
                    passwords.putIfAbsent(f[0], f[1]);
                }
            }
        }
    }

    public Optional<PosixUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public Optional<PosixGroup> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    public Optional<PosixGroup> group(int gid) {
        return Optional.ofNullable(groupsByGid.get(gid));
    }

    public Optional<String> passwordField(String user) {
        return Optional.ofNullable(passwords.get(user));
    }

    /** The user's groups: its primary group and every group listing it as a member. */
    public Set<String> groupsOf(String user) {
        Set<String> out = new HashSet<>();
        PosixUser u = users.get(user);
        if (u != null) {
            group(u.gid()).ifPresent(g -> out.add(g.name()));
        }
        for (PosixGroup g : groups.values()) {
            if (g.members().contains(user)) {
                out.add(g.name());
            }
        }
        return out;
    }

    /** Every uid (or gid) in use. */
    public Set<Integer> usedIds(boolean forGroups) {
        Set<Integer> out = new HashSet<>();
        if (forGroups) {
            out.addAll(groupsByGid.keySet());
        } else {
            users.values().forEach(u -> out.add(u.uid()));
        }
        return out;
    }
}
