package dev.delegator.accounts;

import java.util.Arrays;
import java.util.List;

/** A group entry as {@code getent group} gives it (members are the supplementary ones). */
public record PosixGroup(String name, int gid, List<String> members) {
    public PosixGroup {
        members = List.copyOf(members);
    }

    static PosixGroup parse(String line) {
        String[] f = line.split(":", -1);
        if (f.length != 4) {
            throw new IllegalArgumentException("not a group line: " + line);
        }
        List<String> members = f[3].isEmpty() ? List.of() : Arrays.asList(f[3].split(","));
        return new PosixGroup(f[0], Integer.parseInt(f[2]), members);
    }
}
