package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyFormatException;
import dev.delegator.keys.KeyType;
import dev.delegator.keys.PublicKeyLine;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads one authorized_keys line with the grammar of OpenSSH 9.2's sshd: {@code sshkey_read},
 * {@code sshkey_advance_past_options} and {@code sshauthopt_parse} (auth2-pubkeyfile.c,
 * sshkey.c, auth-options.c). Where sshd is lenient we are too (stray commas, option names matched
 * case-insensitively), so a line we accept is one sshd accepts; every refusal carries the column
 * and what sshd does with the line.
 */
final class LineParser {
    private static final String SKIPS = AuthorizedKeysSyntaxException.SSHD_SKIPS_LINE;

    /** Flags in the order sshauthopt_parse tries them; the order matters because sshd matches prefixes. */
    private static final OptionKind[] FLAGS = {
        OptionKind.RESTRICT, OptionKind.CERT_AUTHORITY, OptionKind.PORT_FORWARDING, OptionKind.AGENT_FORWARDING,
        OptionKind.X11_FORWARDING, OptionKind.TOUCH_REQUIRED, OptionKind.VERIFY_REQUIRED, OptionKind.PTY,
        OptionKind.USER_RC,
    };
    private static final OptionKind[] VALUED = {
        OptionKind.COMMAND, OptionKind.PRINCIPALS, OptionKind.FROM, OptionKind.EXPIRY_TIME,
        OptionKind.ENVIRONMENT, OptionKind.PERMITOPEN, OptionKind.PERMITLISTEN, OptionKind.TUNNEL,
    };
    private static final long TUNNEL_MAX = 0x7fffffffL - 2;

    private final String text;
    private final String s;

    private LineParser(String text) {
        this.text = text;
        int nul = text.indexOf('\0');
        // sshd handles lines as C strings: a NUL ends the line
        this.s = nul < 0 ? text : text.substring(0, nul);
    }

    /** What parsing found, before it becomes an {@link AuthorizedKeyLine}. */
    record Parsed(List<KeyOption> options, PublicKeyLine key, List<Integer> strayCommaColumns, List<Integer> optionColumns) {}

    static Parsed parse(String text) {
        return new LineParser(text).parse();
    }

    /** True for a line sshd ignores: blank (only spaces and tabs) or a comment. */
    static boolean ignoredBySshd(String line) {
        int p = skipSpace(line, 0);
        return p == line.length() || line.charAt(p) == '#' || line.charAt(p) == '\0';
    }

    private Parsed parse() {
        int nl = text.indexOf('\n');
        if (nl >= 0) {
            throw error(nl, "line break inside the line", "sshd reads the text after it as a new line");
        }
        int p = skipSpace(s, 0);
        if (p == s.length() || s.charAt(p) == '#') {
            throw error(p, "not a key line (blank or comment)", "sshd ignores this line");
        }
        KeyRead first = readKey(p);
        if (first.error == null) {
            return new Parsed(List.of(), first.key, List.of(), List.of());
        }
        int optionsEnd = advancePastOptions(p);
        int k = skipSpace(s, optionsEnd);
        KeyRead second = readKey(k);
        if (second.error != null) {
            String firstToken = s.substring(p, optionsEnd);
            boolean looksLikeOptions = firstToken.contains("=") || firstToken.contains(",") || matchFlag(p) >= 0;
            if (first.knownType || !looksLikeOptions) {
                // the line starts with a key type (or a word that is no option): that is what is wrong
                throw first.error;
            }
            if (k == s.length()) {
                throw error(p, "no key type and key data found", SKIPS);
            }
            throw second.error;
        }
        List<Integer> strayCommas = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        List<KeyOption> options = parseOptions(p, strayCommas, columns);
        return new Parsed(options, second.key, List.copyOf(strayCommas), List.copyOf(columns));
    }

    /** A key read at one place of the line: the key, or why there is none there. */
    private static final class KeyRead {
        PublicKeyLine key;
        boolean knownType;
        AuthorizedKeysSyntaxException error;
    }

    /** The one public-key reader ({@link PublicKeyLine#readAt}), its index made a column of this line. */
    private KeyRead readKey(int p) {
        KeyRead r = new KeyRead();
        r.knownType = KeyType.fromNameAsSshdReadsIt(s.substring(p, nextSpace(s, p))).isPresent();
        try {
            r.key = PublicKeyLine.readAt(s, p);
        } catch (KeyFormatException e) {
            r.error = error(e.index(), e.getMessage(), SKIPS);
        }
        return r;
    }

    /** sshkey_advance_past_options: the options end at the first space or tab outside double quotes. */
    private int advancePastOptions(int p) {
        boolean quoted = false;
        int quoteAt = -1;
        int i = p;
        for (; i < s.length() && (quoted || (s.charAt(i) != ' ' && s.charAt(i) != '\t')); i++) {
            if (s.charAt(i) == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                i++;
            } else if (s.charAt(i) == '"') {
                quoted = !quoted;
                quoteAt = i;
            }
        }
        if (quoted) {
            throw error(quoteAt, "missing end quote", SKIPS);
        }
        return i;
    }

    /** sshauthopt_parse, keeping every option and its position. */
    private List<KeyOption> parseOptions(int p, List<Integer> strayCommas, List<Integer> columns) {
        List<KeyOption> options = new ArrayList<>();
        Set<OptionKind> seen = EnumSet.noneOf(OptionKind.class);
        int i = p;
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            int start = i;
            int flagEnd = matchFlag(i);
            OptionKind valued = flagEnd < 0 ? matchValued(i) : null;
            boolean wasFlag = flagEnd >= 0;
            if (wasFlag) {
                i = flagEnd;
                options.add(KeyOption.flag(s.substring(start, i)));
                columns.add(column(start));
            } else if (valued != null) {
                String name = s.substring(start, start + valued.spelling().length());
                if (valued.singleUse() && !seen.add(valued)) {
                    throw error(start, "second \"" + valued.spelling() + "\" option", SKIPS);
                }
                i = start + valued.spelling().length() + 1;
                if (i >= s.length() || s.charAt(i) != '"') {
                    throw error(i, "value of \"" + name + "\" is not in double quotes", SKIPS);
                }
                int open = i;
                StringBuilder v = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                if (i >= s.length()) {
                    throw error(open, "missing end quote", SKIPS);
                }
                i++;
                checkValue(valued, name, v.toString(), open);
                options.add(KeyOption.valued(name, v.toString()));
                columns.add(column(start));
            } else if (s.charAt(i) != ',') {
                throw error(start, "unknown option \"" + shorten(optionToken(start)) + "\"", SKIPS);
            } else {
                strayCommas.add(column(i));
            }
            if (i >= s.length() || s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                break;
            }
            if (s.charAt(i) != ',') {
                if (wasFlag) {
                    throw error(start, "unknown option \"" + shorten(optionToken(start)) + "\"", SKIPS);
                }
                throw error(i, "unexpected text after the value of \"" + s.substring(start, s.indexOf('=', start)) + "\"", SKIPS);
            }
            i++;
            if (i >= s.length()) {
                throw error(i - 1, "unexpected end of options", SKIPS);
            }
            if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                strayCommas.add(column(i - 1)); // a trailing comma: sshd 9.2 ends the options there
            }
        }
        return options;
    }

    private void checkValue(OptionKind kind, String name, String value, int at) {
        switch (kind) {
            case EXPIRY_TIME -> {
                if (ExpiryTime.parse(value).isEmpty()) {
                    throw error(at, "invalid expiry-time \"" + shorten(value) + "\" (want YYYYMMDD[HHMM[SS]][Z])", SKIPS);
                }
            }
            case ENVIRONMENT -> {
                int eq = value.indexOf('=');
                if (eq <= 0 || !value.substring(0, eq).chars().allMatch(c -> c == '_' || (c < 128 && Character.isLetterOrDigit(c)))) {
                    throw error(at, "invalid environment string \"" + shorten(value) + "\" (want NAME=value)", SKIPS);
                }
            }
            case PERMITOPEN, PERMITLISTEN -> {
                String problem = permitProblem(value, kind == OptionKind.PERMITLISTEN);
                if (problem != null) {
                    throw error(at, "invalid " + name + " \"" + shorten(value) + "\": " + problem, SKIPS);
                }
            }
            case TUNNEL -> {
                if (!value.equalsIgnoreCase("any") && !(value.matches("[0-9]{1,10}") && Long.parseLong(value) <= TUNNEL_MAX)) {
                    throw error(at, "invalid tunnel device \"" + shorten(value) + "\"", SKIPS);
                }
            }
            default -> {
                // command, principals and from are free text to the parser; lint checks from= entries
            }
        }
    }

    /** handle_permit/hpdelim2 in auth-options.c and misc.c. */
    private static String permitProblem(String value, boolean allowBarePort) {
        String opt = allowBarePort && value.indexOf(':') < 0 ? "*:" + value : value;
        int sep;
        if (opt.startsWith("[")) {
            int close = opt.indexOf(']');
            if (close < 0) {
                return "unterminated [";
            }
            sep = close + 1;
        } else {
            int colon = opt.indexOf(':');
            int slash = opt.indexOf('/');
            sep = colon < 0 ? slash : slash < 0 ? colon : Math.min(colon, slash);
            if (sep < 0) {
                sep = opt.length();
            }
        }
        if (sep >= opt.length()) {
            return "no port";
        }
        if (opt.charAt(sep) != ':' && opt.charAt(sep) != '/') {
            return "text after ]";
        }
        if (sep >= 1025) {
            return "host name too long";
        }
        String port = opt.substring(sep + 1);
        if (port.equals("*")) {
            return null;
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return "invalid port";
        }
        return null;
    }

    private int matchFlag(int i) {
        for (OptionKind k : FLAGS) {
            int at = i;
            if (k.shape() == OptionKind.Shape.NEGATABLE_FLAG && s.regionMatches(true, at, "no-", 0, 3)) {
                at += 3;
            }
            if (s.regionMatches(true, at, k.spelling(), 0, k.spelling().length())) {
                return at + k.spelling().length();
            }
        }
        return -1;
    }

    private OptionKind matchValued(int i) {
        for (OptionKind k : VALUED) {
            int n = k.spelling().length();
            if (s.regionMatches(true, i, k.spelling(), 0, n) && i + n < s.length() && s.charAt(i + n) == '=') {
                return k;
            }
        }
        return null;
    }

    private String optionToken(int start) {
        int e = start;
        while (e < s.length() && ",= \t\"".indexOf(s.charAt(e)) < 0) {
            e++;
        }
        return e == start ? s.substring(start, Math.min(s.length(), start + 1)) : s.substring(start, e);
    }

    private AuthorizedKeysSyntaxException error(int index, String problem, String consequence) {
        return new AuthorizedKeysSyntaxException(column(index), problem, consequence);
    }

    private int column(int index) {
        int i = Math.min(Math.max(index, 0), text.length());
        return text.codePointCount(0, i) + 1;
    }

    private static String shorten(String v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length() && b.length() < 80; i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return v.length() > 80 ? b + "…" : b.toString();
    }

    static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int nextSpace(String s, int i) {
        while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
            i++;
        }
        return i;
    }
}
