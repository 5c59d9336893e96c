package dev.delegator.localsshd;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenSSH release of an sshd binary, read from {@code sshd -V} ("OpenSSH_9.2p1 Debian-2…" on
 * Debian 12, "OpenSSH_10.0p2 Debian-7…" on Debian 13), for where sshd's behaviour changed between
 * releases: per-source penalties and the sshd-session process split (9.8).
 */
public record OpenSshVersion(int major, int minor) implements Comparable<OpenSshVersion> {
    private static final Pattern BANNER = Pattern.compile("OpenSSH_(\\d+)\\.(\\d+)");

    /** The first release with per-source penalties (on by default) and the sshd-session binary. */
    public static final OpenSshVersion PENALTIES = new OpenSshVersion(9, 8);

    /** Reads the version from a banner such as {@code OpenSSH_10.0p2 Debian-7, OpenSSL 3.5.1}. */
    public static OpenSshVersion parse(String banner) {
        Matcher m = BANNER.matcher(banner);
        if (!m.find()) {
            throw new IllegalArgumentException("no OpenSSH version in \"" + banner.strip() + "\"");
        }
        return new OpenSshVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Runs {@code SSHD -V} (it prints the banner on stderr and exits 0 on 9.2 and 10.0). */
    public static OpenSshVersion ofSshd(String sshd) {
        Command.Result r = Command.of(sshd, "-V").run();
        return parse(r.err() + r.out());
    }

    public boolean atLeast(OpenSshVersion other) {
        return compareTo(other) >= 0;
    }

    /** Whether sshd knows {@code PerSourcePenalties} (9.2 refuses the line: "Bad configuration option"). */
    public boolean hasPerSourcePenalties() {
        return atLeast(PENALTIES);
    }

    @Override
    public int compareTo(OpenSshVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
