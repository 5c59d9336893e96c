package dev.delegator.accounts;

import java.nio.file.Path;

/** A passwd entry as {@code getent passwd} gives it. */
public record PosixUser(String name, int uid, int gid, String gecos, Path home, String shell) {
    /** The GECOS marker delegator writes on accounts it creates: {@code delegator=<delegation>} (GECOS may not hold a colon). */
    public static final String MARKER_PREFIX = "delegator=";

    /** True when delegator created this account (its GECOS carries the marker). */
    public boolean ownedByDelegator() {
        return gecos.startsWith(MARKER_PREFIX);
    }

    static PosixUser parse(String line) {
        String[] f = line.split(":", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("not a passwd line: " + line);
        }
        return new PosixUser(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4], Path.of(f[5]), f[6]);
    }
}
