package dev.delegator.client.internal;

import dev.delegator.client.RunResult;
import java.util.Map;
import java.util.OptionalInt;

/**
 * SSH signal names (RFC 4254 section 6.10, without "SIG") to Linux signal numbers, so a remote
 * command killed by TERM makes the caller exit 143, as a local shell would.
 */
public final class ExitSignals {
    private ExitSignals() {}

    private static final Map<String, Integer> LINUX = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16),
            Map.entry("CHLD", 17), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20),
            Map.entry("TTIN", 21), Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25), Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28),
            Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    /** The Linux number of an SSH signal name ("TERM", also accepted: "SIGTERM"), if known. */
    public static OptionalInt number(String name) {
        if (name == null) {
            return OptionalInt.empty();
        }
        String n = name.startsWith("SIG") ? name.substring(3) : name;
        Integer v = LINUX.get(n);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    /** 128+N for a known signal; an unknown name maps to 255 (we cannot tell which it was). */
    public static int exitStatus(String name) {
        OptionalInt n = number(name);
        return n.isPresent() ? RunResult.SIGNAL_BASE + n.getAsInt() : RunResult.CONNECTION;
    }
}
