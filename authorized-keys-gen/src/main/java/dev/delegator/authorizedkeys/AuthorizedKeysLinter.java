package dev.delegator.authorizedkeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reports every problem in authorized_keys files, as {@code file:line:col: problem: consequence}:
 * lines sshd skips, keys that appear twice (in one file or across the files given together, as
 * sshd reads both {@code authorized_keys} and {@code authorized_keys2}), lines that leave forwarding
 * or {@code ~/.ssh/rc} on, {@code environment=}, {@code from=} entries sshd refuses or never matches,
 * {@code principals=} sshd refuses (no {@code cert-authority}) or never matches (empty), a certificate
 * written as the key, expired, zone-less or normalized ({@code 20990231}) {@code expiry-time=},
 * legacy key types, and file or directory modes and owners
 * that make StrictModes refuse the file.
 *
 * <p>Lenient on purpose: a file a person edits gets a report of everything, not the first error.
 */
public final class AuthorizedKeysLinter {
    private static final java.time.format.DateTimeFormatter NORMALIZED =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", java.util.Locale.ROOT);
    private final Clock clock;
    private final ZoneId serverZone;
    private final Optional<String> user;

    /**
     * @param clock      now, for expiry checks
     * @param serverZone the zone sshd applies to an {@code expiry-time} without {@code Z}
     * @param user       the account the files authorize, when known; its name is an allowed owner
     *                   besides root. Without it, the file's own owner is taken to be the account.
     */
    public AuthorizedKeysLinter(Clock clock, ZoneId serverZone, Optional<String> user) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.serverZone = Objects.requireNonNull(serverZone, "serverZone");
        this.user = Objects.requireNonNull(user, "user");
    }

    /** A linter for this machine: system clock and zone, account inferred from each file's owner. */
    public static AuthorizedKeysLinter forThisMachine() {
        return new AuthorizedKeysLinter(Clock.systemUTC(), ZoneId.systemDefault(), Optional.empty());
    }

    /** Lints the files together (duplicates across them count), including their modes and owners. */
    public LintReport lint(List<Path> paths) {
        List<LintProblem> problems = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        for (Path path : paths) {
            String source = path.toString();
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(path);
            } catch (IOException e) {
                unreadable.add(source + ": cannot read: " + describe(e));
                continue;
            }
            problems.addAll(fileSafety(path));
            String content;
            try {
                content = AuthorizedKeysFile.decode(bytes, source);
            } catch (AuthorizedKeysSyntaxException e) {
                problems.add(new LintProblem(source, e.line(), e.column(), "not-utf8", e.problem(),
                        "lint reads the rest as Latin-1; delegator refuses to rewrite the file"));
                content = new String(bytes, StandardCharsets.ISO_8859_1);
            }
            problems.addAll(lintContent(AuthorizedKeysFile.parse(content, source), seen));
        }
        return new LintReport(problems, unreadable);
    }

    /** Lints one file's content, without looking at the file system. */
    public List<LintProblem> lintContent(AuthorizedKeysFile file) {
        return lintContent(file, new LinkedHashMap<>());
    }

    private List<LintProblem> lintContent(AuthorizedKeysFile file, Map<String, String> seen) {
        List<LintProblem> out = collect(file, seen);
        // stable: problems of one line keep their order unless their columns say otherwise
        out.sort(java.util.Comparator.comparingInt(LintProblem::line).thenComparingInt(LintProblem::column));
        return out;
    }

    private List<LintProblem> collect(AuthorizedKeysFile file, Map<String, String> seen) {
        List<LintProblem> out = new ArrayList<>();
        String src = file.sourceName();
        for (AuthorizedKeysSyntaxException e : file.structureProblems()) {
            out.add(new LintProblem(src, e.line(), e.column(), "managed-block", e.problem(), e.consequence()));
        }
        for (FileLine l : file.lines()) {
            int nul = l.text().indexOf('\0');
            if (nul >= 0) {
                out.add(new LintProblem(src, l.number(), col(l.text(), nul), "nul-byte", "NUL byte", "sshd ignores the rest of the line"));
            }
            if (l.kind() == FileLine.Kind.INVALID) {
                AuthorizedKeysSyntaxException e = l.error().orElseThrow();
                out.add(new LintProblem(src, l.number(), e.column(), "syntax", e.problem(), e.consequence()));
            } else if (l.kind() == FileLine.Kind.KEY) {
                AuthorizedKeyLine key = l.key().orElseThrow();
                String here = src + ":" + l.number();
                String previous = seen.putIfAbsent(key.fingerprint(), here);
                if (previous != null) {
                    String ref = previous.startsWith(src + ":") && previous.lastIndexOf(':') == src.length()
                            ? "line " + previous.substring(src.length() + 1) : previous;
                    out.add(new LintProblem(src, l.number(), key.keyTypeColumn(), "duplicate-key",
                            "duplicate of " + ref + " (same key " + key.fingerprint() + ")", "sshd uses the first"));
                }
                lintKey(src, l.number(), key, out);
            }
        }
        return out;
    }

    private void lintKey(String src, int line, AuthorizedKeyLine key, List<LintProblem> out) {
        int start = col(key.text(), LineParser.skipSpace(key.text(), 0));
        for (int c : key.strayCommaColumns()) {
            out.add(new LintProblem(src, line, c, "stray-comma", "stray comma in the options", "sshd ignores it; check nothing is missing"));
        }
        if (key.type().certificate()) {
            // auth2-pubkey.c check_authkey_line: a plain key is compared with the line's key (types differ),
            // a certificate with its CA key (a plain key), so a certificate in a line matches nothing
            out.add(new LintProblem(src, line, key.keyTypeColumn(), "certificate-as-key",
                    "a certificate (" + key.keyType() + ") written as the key",
                    "sshd lets in neither the certificate nor its plain key with this line; write the plain key, or the CA's key with cert-authority"));
        }
        if (key.type().legacy()) {
            out.add(new LintProblem(src, line, key.keyTypeColumn(), "legacy-key-type", key.keyType() + " key",
                    "OpenSSH 9.2 refuses DSA keys unless PubkeyAcceptedAlgorithms enables them; 10.0 and later do not read"
                            + " the line as a key at all (DSA support removed)"));
        } else if (!key.keyType().equals(key.type().sshName())) {
            out.add(new LintProblem(src, line, key.keyTypeColumn(), "noncanonical-key-type",
                    "key type written \"" + key.keyType() + "\" instead of \"" + key.type().sshName() + "\"",
                    "sshd accepts it, other tools may not"));
        }
        boolean restricted = false;
        boolean portFwd = true;
        boolean agentFwd = true;
        boolean x11Fwd = true;
        boolean pty = true;
        boolean userRc = true;
        boolean certAuthority = false;
        List<KeyOption> opts = key.options();
        for (int i = 0; i < opts.size(); i++) {
            KeyOption o = opts.get(i);
            int c = key.optionColumn(i);
            OptionKind k = o.kind().orElseThrow();
            boolean on = !o.negated();
            switch (k) {
                case RESTRICT -> {
                    restricted = true;
                    portFwd = agentFwd = x11Fwd = pty = userRc = false;
                }
                case PORT_FORWARDING, AGENT_FORWARDING, X11_FORWARDING, PTY, USER_RC -> {
                    if (on && restricted) {
                        out.add(new LintProblem(src, line, c, "reenables-after-restrict",
                                "\"" + o.name() + "\" after restrict", "re-enables " + what(k)));
                    }
                    switch (k) {
                        case PORT_FORWARDING -> portFwd = on;
                        case AGENT_FORWARDING -> agentFwd = on;
                        case X11_FORWARDING -> x11Fwd = on;
                        case PTY -> pty = on;
                        default -> userRc = on;
                    }
                }
                case CERT_AUTHORITY -> certAuthority = true;
                case ENVIRONMENT -> out.add(new LintProblem(src, line, c, "environment",
                        "environment= present", "LD_PRELOAD-style escapes with PermitUserEnvironment"));
                case FROM -> lintFrom(src, line, c, o.value().orElseThrow(), out);
                case EXPIRY_TIME -> lintExpiry(src, line, c, o.value().orElseThrow(), out);
                case TOUCH_REQUIRED -> {
                    if (!on && key.type().securityKey()) {
                        out.add(new LintProblem(src, line, c, "no-touch-required", "no-touch-required",
                                "the security key signs without a touch"));
                    }
                }
                default -> {
                    // command, principals, permitopen, permitlisten, tunnel, verify-required: checked below or harmless
                }
            }
        }
        for (int i = 0; i < opts.size(); i++) {
            if (!opts.get(i).is(OptionKind.PRINCIPALS)) {
                continue;
            }
            if (!certAuthority) {
                // auth-options.c sshauthopt_parse: "principals on non-CA key" fails the whole line
                out.add(new LintProblem(src, line, key.optionColumn(i), "principals-without-ca",
                        "principals= without cert-authority", "sshd refuses the line (\"principals on non-CA key\"): the key cannot log in with it"));
            } else if (opts.get(i).value().orElseThrow().isEmpty()) {
                // match_principals_option: no certificate principal matches an empty list
                out.add(new LintProblem(src, line, key.optionColumn(i), "empty-principals",
                        "principals=\"\" is empty", "sshd never matches a certificate to it; the CA line lets nobody in"));
            }
        }
        if (!restricted && (portFwd || agentFwd || x11Fwd)) {
            List<String> on = new ArrayList<>();
            if (portFwd) {
                on.add("port");
            }
            if (agentFwd) {
                on.add("agent");
            }
            if (x11Fwd) {
                on.add("X11");
            }
            out.add(new LintProblem(src, line, start, "no-restrict", "no restrict",
                    "forwarding allowed (" + String.join(", ", on) + (pty ? "; pty too" : "") + ")"));
        }
        if (userRc && key.option(OptionKind.COMMAND).isPresent()) {
            out.add(new LintProblem(src, line, key.optionColumn(indexOf(opts, OptionKind.COMMAND)), "user-rc",
                    "command= without restrict", "~/.ssh/rc runs first"));
        }
    }

    private void lintFrom(String src, int line, int c, String value, List<LintProblem> out) {
        String[] entries = value.split(",", -1);
        boolean anyPositive = false;
        for (String e : entries) {
            Optional<String> p = FromPattern.sshdProblem(e);
            if (p.isPresent()) {
                out.add(new LintProblem(src, line, c, "from-entry", "from= entry \"" + e + "\" " + before(p.get()), after(p.get())));
                continue;
            }
            if (!e.startsWith("!")) {
                anyPositive = true;
            }
            String address = (e.startsWith("!") ? e.substring(1) : e).split("/", 2)[0];
            Optional<String> legacy = FromPattern.legacyIpv4(address);
            if (legacy.isPresent()) {
                out.add(new LintProblem(src, line, c, "from-legacy-ipv4", "from= entry \"" + e + "\" is a legacy IPv4 spelling",
                        "sshd reads it as " + legacy.get()));
                continue;
            }
            try {
                FromPattern f = FromPattern.parse(e);
                if (f.kind() == FromPattern.Kind.HOSTNAME) {
                    out.add(new LintProblem(src, line, c, "from-hostname", "from= entry \"" + e + "\" is a host name",
                            "only matches with UseDNS yes (default no)"));
                }
            } catch (UnsafeLineException ex) {
                out.add(new LintProblem(src, line, c, "from-entry", "from= entry \"" + e + "\" is not an address, network or host name",
                        "sshd compares it as a wildcard and it likely never matches"));
            }
        }
        if (!anyPositive && entries.length > 0 && out.stream().noneMatch(p -> p.line() == line && p.kind().equals("from-entry"))) {
            out.add(new LintProblem(src, line, c, "from-only-negations", "from= has only negations", "sshd never matches it; the key never works"));
        }
    }

    private void lintExpiry(String src, int line, int c, String value, List<LintProblem> out) {
        ExpiryTime t = ExpiryTime.parse(value).orElseThrow();
        if (!t.instant(serverZone).isAfter(clock.instant())) {
            out.add(new LintProblem(src, line, c, "expired", "expiry-time in the past (" + value + ")", "sshd denies this key"));
        }
        if (!t.utc()) {
            out.add(new LintProblem(src, line, c, "expiry-local-time", "expiry-time without Z", "server local time applies"));
        }
        if (!t.asWritten()) {
            out.add(new LintProblem(src, line, c, "expiry-normalized", "expiry-time \"" + value + "\" is not a real date and time",
                    "sshd reads it as " + NORMALIZED.format(t.local()) + (t.utc() ? " UTC" : " server local time")));
        }
    }

    /** Mode and owner problems of the file and every directory above it (sshd's StrictModes, auth.c safe_path). */
    public List<LintProblem> fileSafety(Path path) {
        List<LintProblem> out = new ArrayList<>();
        String src = path.toString();
        Path real;
        PosixFileAttributes fileAttrs;
        try {
            real = path.toRealPath();
            fileAttrs = Files.readAttributes(real, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return out;
        }
        if (!fileAttrs.isRegularFile()) {
            out.add(new LintProblem(src, 0, 0, "not-regular-file", "not a regular file", "sshd refuses it"));
        }
        String account = user.orElse(fileAttrs.owner().getName());
        Set<String> allowed = new java.util.HashSet<>(List.of("root", account));
        check(src, "", fileAttrs, allowed, account, out);
        Set<PosixFilePermission> perms = fileAttrs.permissions();
        if (fileAttrs.owner().getName().equals("root") && !account.equals("root")
                && !perms.contains(PosixFilePermission.OTHERS_READ) && !perms.contains(PosixFilePermission.GROUP_READ)) {
            out.add(new LintProblem(src, 0, 0, "unreadable-by-user", "owned by root and not readable by " + account,
                    "sshd opens it as " + account + " and finds no keys"));
        }
        for (Path dir = real.getParent(); dir != null; dir = dir.getParent()) {
            try {
                check(src, "directory " + dir + " ", Files.readAttributes(dir, PosixFileAttributes.class), allowed, account, out);
            } catch (IOException e) {
                out.add(new LintProblem(src, 0, 0, "unreadable-directory", "directory " + dir + " cannot be read (" + describe(e) + ")",
                        "sshd may not reach the file"));
            }
        }
        return out;
    }

    private static void check(String src, String what, PosixFileAttributes a, Set<String> allowed, String account, List<LintProblem> out) {
        Set<PosixFilePermission> p = a.permissions();
        if (p.contains(PosixFilePermission.GROUP_WRITE)) {
            out.add(new LintProblem(src, 0, 0, "group-writable", what + "group-writable", "StrictModes refuses the file"));
        }
        if (p.contains(PosixFilePermission.OTHERS_WRITE)) {
            out.add(new LintProblem(src, 0, 0, "world-writable", what + "world-writable", "StrictModes refuses the file"));
        }
        String owner = a.owner().getName();
        if (!allowed.contains(owner)) {
            out.add(new LintProblem(src, 0, 0, "foreign-owner", what + "owned by " + owner + ", not root or " + account,
                    "StrictModes refuses the file"));
        }
    }

    private static String what(OptionKind k) {
        return switch (k) {
            case PORT_FORWARDING -> "port forwarding";
            case AGENT_FORWARDING -> "agent forwarding";
            case X11_FORWARDING -> "X11 forwarding";
            case PTY -> "pty allocation";
            default -> "~/.ssh/rc";
        };
    }

    private static int indexOf(List<KeyOption> opts, OptionKind k) {
        for (int i = 0; i < opts.size(); i++) {
            if (opts.get(i).is(k)) {
                return i;
            }
        }
        return -1;
    }

    private static String before(String problemAndConsequence) {
        int i = problemAndConsequence.indexOf(": ");
        return i < 0 ? problemAndConsequence : problemAndConsequence.substring(0, i);
    }

    private static String after(String problemAndConsequence) {
        int i = problemAndConsequence.indexOf(": ");
        return i < 0 ? "" : problemAndConsequence.substring(i + 2);
    }

    private static int col(String text, int index) {
        return text.codePointCount(0, index) + 1;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "") + (m == null ? "" : " " + m);
    }
}
