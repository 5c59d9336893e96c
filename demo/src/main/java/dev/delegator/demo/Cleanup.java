package dev.delegator.demo;

import dev.delegator.accounts.Accounts;
import dev.delegator.accounts.PosixGroup;
import dev.delegator.accounts.PosixUser;
import dev.delegator.localsshd.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Removes what a demo run recorded in its state file: its processes (only while their command line
 * still names the run directory), its accounts and groups, and the run directory; then the base
 * directory if no other run is left in it. Every part is tried even when another fails; the
 * problems are returned, one line each.
 */
public final class Cleanup {
    private final Accounts accounts = new Accounts();

    /** Cleans one run; returns the problems (empty when everything is gone). */
    public List<String> clean(DemoState state, Console console) {
        List<String> problems = new ArrayList<>();
        Path dir = state.runDir();
        for (Map.Entry<String, Long> e : state.pids().entrySet()) {
            try {
                if (stopProcess(e.getValue(), dir)) {
                    console.detail("stopped " + e.getKey() + " (pid " + e.getValue() + ")");
                }
            } catch (RuntimeException ex) {
                problems.add("could not stop " + e.getKey() + " (pid " + e.getValue() + "): " + ex.getMessage());
            }
        }
        List<String> users = new ArrayList<>(state.users());
        java.util.Collections.reverse(users);
        for (String user : users) {
            try {
                if (deleteUser(user)) {
                    console.detail("deleted account " + user);
                }
            } catch (RuntimeException ex) {
                problems.add("could not delete account " + user + ": " + ex.getMessage());
            }
        }
        for (String group : state.groups()) {
            try {
                if (deleteGroupIfEmpty(group)) {
                    console.detail("deleted group " + group);
                }
            } catch (RuntimeException ex) {
                problems.add("could not delete group " + group + ": " + ex.getMessage());
            }
        }
        if (Files.exists(dir)) {
            Command.Result r = Command.of("rm", "-rf", "--one-file-system", "--", dir.toString()).run();
            if (r.status() != 0) {
                problems.add("could not remove " + dir + ": " + r.firstErrorLine());
            } else {
                console.detail("removed " + dir);
            }
        }
        Path base = dir.getParent();
        if (base != null && isEmptyDir(base)) {
            try {
                Files.delete(base);
                console.detail("removed " + base);
            } catch (IOException ex) {
                // another run created something meanwhile: it keeps the base
            }
        }
        return problems;
    }

    /** The run directories below {@code base} that hold a state file (kept or interrupted demos). */
    public static List<Path> runsIn(Path base) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve(DemoState.FILE))) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new DemoFailure("cannot list " + base + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    private static boolean isEmptyDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** TERM, then KILL after 5 s; only a process whose command line names {@code dir}. */
    static boolean stopProcess(long pid, Path dir) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive() || !commandLine(pid).contains(dir.toString())) {
            return false;
        }
        h.get().destroy();
        try {
            h.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            h.get().destroyForcibly();
            try {
                h.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported by the caller through isAlive below
            }
        } catch (Exception e) {
            // interrupted or failed wait: check below
        }
        if (h.get().isAlive()) {
            throw new DemoFailure("still running");
        }
        return true;
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private boolean deleteUser(String user) {
        Optional<PosixUser> u = accounts.user(user);
        if (u.isEmpty()) {
            return false;
        }
        if (u.get().ownedByDelegator()) {
            accounts.deleteDelegate(user);
            return true;
        }
        // the caller account: ended first, since userdel refuses a user with processes
        Command.of("pkill", "-KILL", "-u", user).run();
        Command.of("userdel", "--remove", user).check();
        return true;
    }

    private boolean deleteGroupIfEmpty(String group) {
        Optional<PosixGroup> g = accounts.group(group);
        if (g.isEmpty() || !g.get().members().isEmpty()) {
            return false;
        }
        // a group some account still has as its primary group stays
        Command.Result users = Command.of("getent", "passwd").run();
        for (String line : users.out().split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length > 3 && f[3].equals(Integer.toString(g.get().gid()))) {
                return false;
            }
        }
        Command.of("groupdel", group).check();
        return true;
    }
}
