package dev.delegator.manifest;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The naming rules the manifest enforces. Linux user and group names follow useradd(8)'s
 * default rule ({@code [a-z_][a-z0-9_-]*[$]?}, at most 32 characters); delegation names are
 * stricter because they become file names and part of the forced command.
 */
public final class Names {
    private Names() {}

    private static final Pattern DELEGATION = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final Pattern LINUX = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
    private static final Pattern VERB = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final Pattern SETTING = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    /** A delegation name: {@code [a-z][a-z0-9-]{0,30}}. */
    public static boolean isDelegationName(String s) {
        return DELEGATION.matcher(s).matches();
    }

    /** A user or group name useradd/groupadd accept by default: {@code [a-z_][a-z0-9_-]*[$]?}, 1..32 chars. */
    public static boolean isLinuxName(String s) {
        return s.length() <= 32 && LINUX.matcher(s).matches();
    }

    /** A verb name as the dispatcher accepts it (the first word of the request). */
    public static boolean isVerbName(String s) {
        return VERB.matcher(s).matches();
    }

    /** A settings key; {@code source} becomes {@code DELEGATOR_SOURCE}. */
    public static boolean isSettingName(String s) {
        return SETTING.matcher(s).matches();
    }

    /**
     * System trees a delegate must never own or be handed as a resource or home: apply would
     * chown them. Paths equal to one of these or below it are refused.
     */
    public static final java.util.List<String> SYSTEM_TREES = java.util.List.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64",
            "/libx32", "/proc", "/root", "/run", "/sbin", "/sys", "/usr", "/var/lib/delegator", "/var/log", "/var/spool", "/var/run", "/var/lib/dpkg",
            "/var/lib/apt", "/var/cache", "/var/backups", "/var/mail", "/tmp", "/var/tmp");

    /** The system tree {@code path} lies in (see {@link #SYSTEM_TREES}), if any. */
    public static java.util.Optional<String> systemTreeOf(String path) {
        for (String tree : SYSTEM_TREES) {
            if (path.equals(tree) || path.startsWith(tree + "/")) {
                return java.util.Optional.of(tree);
            }
        }
        return java.util.Optional.empty();
    }

    /** Absolute, already normalized (no {@code .}, {@code ..}, doubled or trailing slash), no control characters. */
    public static boolean isAbsoluteNormalPath(String s) {
        if (s.isEmpty() || s.charAt(0) != '/' || s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return false;
        }
        if (s.length() > 1 && s.endsWith("/")) {
            return false;
        }
        for (String part : s.substring(1).split("/", -1)) {
            if (s.length() > 1 && (part.isEmpty() || part.equals(".") || part.equals(".."))) {
                return false;
            }
        }
        return Path.of(s).normalize().toString().equals(s);
    }
}
