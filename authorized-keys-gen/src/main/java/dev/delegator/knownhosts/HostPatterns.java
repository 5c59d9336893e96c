package dev.delegator.knownhosts;

import java.util.Locale;

/**
 * OpenSSH's host pattern rules, as {@code match.c} has them (openssh-portable): {@code *} matches
 * any run of characters (also none), {@code ?} exactly one, everything else itself (no character
 * classes, no escapes); a list is comma-separated, {@code !} before an entry negates it, and a
 * matching negation wins over every positive entry. Used for the host field of
 * {@code @cert-authority} and {@code @revoked} lines ({@link #matchHostname}) and for the principals
 * of a host certificate ({@link #matchPattern}, where the principal is the pattern, as
 * {@code sshkey_cert_check_authority} calls it with {@code wildcard_pattern} set).
 */
public final class HostPatterns {
    /** match.c refuses a sub-pattern that does not fit its 1024-byte buffer: it never matches. */
    private static final int MAX_SUBPATTERN = 1023;

    private HostPatterns() {}

    /** OpenSSH's {@code match_pattern(s, pattern)}: case-sensitive, the whole of {@code s}. */
    public static boolean matchPattern(String s, String pattern) {
        return match(s, 0, pattern, 0);
    }

    private static boolean match(String s, int si, String p, int pi) {
        while (true) {
            if (pi == p.length()) {
                return si == s.length();
            }
            char c = p.charAt(pi);
            if (c == '*') {
                // collapse runs of '*'; then try every split point (patterns are short host names)
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int k = si; k <= s.length(); k++) {
                    if (match(s, k, p, pi)) {
                        return true;
                    }
                }
                return false;
            }
            if (si == s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            si++;
            pi++;
        }
    }

    /**
     * OpenSSH's {@code match_pattern_list(string, list, dolower)}: 1 when an entry matches and no
     * negated entry does, -1 when a negated entry matches, 0 otherwise.
     */
    public static int matchList(String string, String list, boolean lowercasePatterns) {
        boolean positive = false;
        int i = 0;
        int len = list.length();
        while (i < len) {
            boolean negated = list.charAt(i) == '!';
            if (negated) {
                i++;
            }
            int end = list.indexOf(',', i);
            if (end < 0) {
                end = len;
            }
            String sub = list.substring(i, end);
            if (sub.length() > MAX_SUBPATTERN) {
                return 0;
            }
            if (lowercasePatterns) {
                sub = sub.toLowerCase(Locale.ROOT);
            }
            i = end < len ? end + 1 : end;
            if (matchPattern(string, sub)) {
                if (negated) {
                    return -1;
                }
                positive = true;
            }
        }
        return positive ? 1 : 0;
    }

    /**
     * OpenSSH's {@code match_hostname(host, patterns)}: the host lower-cased, the patterns too;
     * 1 match, -1 negated match, 0 none.
     */
    public static int matchHostname(String host, String patterns) {
        return matchList(host.toLowerCase(Locale.ROOT), patterns, true);
    }

    /**
     * Why {@code list} cannot be the host field of a known_hosts line delegator writes: empty, a
     * blank (it would end the field), an empty entry or a bare {@code !}, an entry too long for
     * match.c, or only negations (such a list never matches: a line that can never apply is a
     * mistake, not a rule). Hashed fields are not written by delegator.
     */
    public static java.util.Optional<String> listProblem(String list) {
        if (list.isEmpty()) {
            return java.util.Optional.of("empty; give host patterns such as '*.example.org' or '[10.0.0.*]:2222'");
        }
        boolean positive = false;
        for (String entry : list.split(",", -1)) {
            if (entry.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                return java.util.Optional.of("'" + list + "' holds a blank or control character; separate patterns with ',' only");
            }
            String e = entry.startsWith("!") ? entry.substring(1) : entry;
            if (e.isEmpty()) {
                return java.util.Optional.of("'" + list + "' has an empty pattern");
            }
            if (e.length() > MAX_SUBPATTERN) {
                return java.util.Optional.of("a pattern of '" + list + "' is longer than " + MAX_SUBPATTERN + " characters (ssh never matches it)");
            }
            if (e.startsWith("|")) {
                return java.util.Optional.of("'" + list + "' is a hashed host; give host patterns");
            }
            positive |= !entry.startsWith("!");
        }
        if (!positive) {
            return java.util.Optional.of("'" + list + "' has only negated patterns, which never match; add the hosts it is for");
        }
        return java.util.Optional.empty();
    }

    /**
     * Whether a known_hosts host field applies to {@code target}: ssh looks a host up by its name,
     * or by {@code [name]:port} when the port is not 22 ({@code put_host_port}), and a line applies
     * only on a positive match ({@code hostfile.c}: a negated match excludes it).
     */
    public static boolean knownHostsMatch(HostPort target, String hostField) {
        return matchHostname(target.knownHostsPattern(), hostField) == 1;
    }
}
