package dev.delegator.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The block delegator keeps in {@code /etc/cron.deny} and {@code /etc/at.deny}: one delegate user
 * per line between two marker lines. Debian lets every account use {@code crontab} and {@code at}
 * unless these files say otherwise, and a job left that way later runs as the delegate outside
 * every sandbox the dispatcher builds. Both tools compare each whole line with the user name, so
 * the marker lines never match an account. Lines outside the block are the admin's and stay byte
 * for byte.
 */
final class SchedulerDeny {
    static final String BEGIN = "# BEGIN delegator: delegate accounts, denied by delegator apply (do not edit)";
    static final String END = "# END delegator";

    private SchedulerDeny() {}

    /** The users in the block of {@code text}; empty when there is none. */
    static SortedSet<String> users(String text) {
        SortedSet<String> out = new TreeSet<>();
        boolean in = false;
        for (String line : text.split("\n", -1)) {
            if (line.equals(BEGIN)) {
                in = true;
            } else if (line.equals(END)) {
                in = false;
            } else if (in && !line.isEmpty()) {
                out.add(line);
            }
        }
        return out;
    }

    /** {@code text} with its block replaced by one listing {@code users} (at the end), or removed when there are none. */
    static String render(String text, SortedSet<String> users) {
        List<String> kept = new ArrayList<>();
        boolean in = false;
        String[] lines = text.isEmpty() ? new String[0] : text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.equals(BEGIN)) {
                in = true;
            } else if (line.equals(END)) {
                in = false;
            } else if (!in && !(i == lines.length - 1 && line.isEmpty())) {
                kept.add(line);
            }
        }
        StringBuilder b = new StringBuilder();
        for (String line : kept) {
            b.append(line).append('\n');
        }
        if (!users.isEmpty()) {
            b.append(BEGIN).append('\n');
            for (String u : users) {
                b.append(u).append('\n');
            }
            b.append(END).append('\n');
        }
        return b.toString();
    }
}
