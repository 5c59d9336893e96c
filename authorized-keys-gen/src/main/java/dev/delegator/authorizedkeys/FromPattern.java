package dev.delegator.authorizedkeys;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a {@code from="…"} list, checked the way sshd's {@code addr_match_list} and
 * {@code addr_pton_cidr} (addrmatch.c) read it. An entry is an address, a CIDR network, a
 * {@code *}/{@code ?} wildcard over addresses, or a host name, optionally negated with {@code !}.
 *
 * <p>This is the one grammar for {@code from=} entries: {@link #problem(String)} says what is wrong
 * with an entry (the manifest loader calls it and adds file:line:column), {@link #parse(String)} and
 * the record's constructor refuse the same entries with the same message (the line writer). What sshd
 * refuses (a mask with host bits set such as {@code 10.0.0.1/8}, a mask out of range, an empty
 * entry), what it reads other than meant (inet_aton's legacy spellings such as {@code 010.0.0.1})
 * and what would never match is refused. Host names are part of the grammar; whether a line may
 * carry them (they only match with {@code UseDNS yes}) is a rule callers add on top with their own
 * message ({@link #parse(String, boolean)}, the manifest's {@code allowHostNames}).
 * {@link #sshdProblem(String)} is the lenient reader-side check lint uses on lines we did not write.
 *
 * @param text    the entry as written, including a leading {@code !}
 * @param negated true for {@code !entry}; must agree with {@code text}
 * @param kind    what the entry is; must agree with {@code text}
 */
public record FromPattern(String text, boolean negated, Kind kind) {
    /** What an entry matches against. */
    public enum Kind {
        /** One address, e.g. {@code 192.0.2.7} or {@code ::1}. */
        ADDRESS,
        /** A network in CIDR notation, e.g. {@code 10.0.0.0/8}. */
        CIDR,
        /** A wildcard pattern over the address text, e.g. {@code 192.0.2.*}. */
        WILDCARD,
        /** A host name (only matches when sshd resolves names, {@code UseDNS yes}). */
        HOSTNAME
    }

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern SIGNED_MASK = Pattern.compile("[ \t]*\\+[0-9]+|[ \t]+[0-9]+");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern LEGACY_IPV4_CHARS = Pattern.compile("[0-9A-Fa-fxX.]+");
    private static final Pattern ADDRESS_WILDCARD = Pattern.compile("[0-9A-Fa-f:.*?]+");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9*?]([A-Za-z0-9.*?-]*[A-Za-z0-9*?])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    public FromPattern {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
        Reading r = read(text);
        if (r.problem() != null) {
            throw new UnsafeLineException(r.problem());
        }
        if (negated != text.startsWith("!") || kind != r.kind()) {
            throw new IllegalArgumentException("from= entry \"" + text + "\" is " + (text.startsWith("!") ? "" : "not ")
                    + "negated and a " + r.kind() + ", not negated=" + negated + " " + kind);
        }
    }

    /** What {@link #read} found: a kind, or the message saying what is wrong. */
    private record Reading(Kind kind, String problem) {
        static Reading ok(Kind kind) {
            return new Reading(kind, null);
        }

        static Reading bad(String entry, String reason) {
            return new Reading(null, "from= entry \"" + entry + "\" " + reason);
        }
    }

    /**
     * Empty when sshd reads {@code entry} as written and it can match; otherwise the whole message,
     * e.g. {@code from= entry "10.0.0.1/8" has host bits set: sshd refuses the line}. Host names
     * pass (see the class comment). The manifest loader and the line writer both use this, so
     * they accept and refuse the same entries with the same reason.
     */
    public static Optional<String> problem(String entry) {
        Objects.requireNonNull(entry, "entry");
        return Optional.ofNullable(read(entry).problem());
    }

    /**
     * Reads one entry we are about to write.
     *
     * @throws UnsafeLineException with {@link #problem(String)}'s message
     */
    public static FromPattern parse(String entry) {
        Reading r = read(Objects.requireNonNull(entry, "entry"));
        if (r.problem() != null) {
            throw new UnsafeLineException(r.problem());
        }
        return new FromPattern(entry, entry.startsWith("!"), r.kind());
    }

    /**
     * {@link #parse(String)}, and host names only when {@code allowHostNames} (the writer's rule on
     * top of the grammar).
     */
    public static FromPattern parse(String entry, boolean allowHostNames) {
        FromPattern f = parse(entry);
        if (f.kind() == Kind.HOSTNAME && !allowHostNames) {
            throw new UnsafeLineException("from= entry \"" + entry
                    + "\" is a host name: it only matches with UseDNS yes (default no); write addresses, or allow host names explicitly");
        }
        return f;
    }

    /** Empty when a list of valid entries makes a usable from= list: non-empty, one entry at least not negated. */
    public static Optional<String> listProblem(List<String> entries) {
        if (entries.isEmpty()) {
            return Optional.of("from= list is empty: sshd refuses the line");
        }
        if (entries.stream().allMatch(e -> e.startsWith("!"))) {
            return Optional.of("from= list " + entries + " has only negations: sshd never matches it");
        }
        return Optional.empty();
    }

    /** Validates a whole list we are about to write: every entry, then {@link #listProblem(List)}. */
    public static List<FromPattern> parseList(List<String> entries, boolean allowHostNames) {
        if (entries.isEmpty()) {
            throw new UnsafeLineException(listProblem(entries).orElseThrow());
        }
        List<FromPattern> out = entries.stream().map(e -> parse(e, allowHostNames)).toList();
        listProblem(entries).ifPresent(p -> {
            throw new UnsafeLineException(p);
        });
        return out;
    }

    private static Reading read(String entry) {
        boolean negated = entry.startsWith("!");
        String body = negated ? entry.substring(1) : entry;
        if (body.isEmpty()) {
            return Reading.bad(entry, "is empty: sshd refuses the line");
        }
        String[] addressAndMask = body.split("/", 2);
        // inet_aton's spellings first: "10.1/8" is 10.0.0.1/8 to sshd, and that is what to tell the user
        Optional<String> legacy = legacyIpv4(addressAndMask[0]);
        if (legacy.isPresent()) {
            String meant = legacy.get() + (addressAndMask.length > 1 ? "/" + addressAndMask[1] : "");
            String advice = sshdProblem(meant).isEmpty() ? "; write " + meant : "; write the network in dotted-quad form";
            return Reading.bad(entry, "is a legacy IPv4 spelling: sshd reads it as " + meant + advice);
        }
        Optional<String> sshd = sshdProblem(entry);
        if (sshd.isPresent()) {
            return Reading.bad(entry, sshd.get());
        }
        Optional<Kind> cidr = addressOrCidr(body);
        if (cidr.isPresent()) {
            return Reading.ok(cidr.get());
        }
        if (body.contains("/")) {
            return Reading.bad(entry, "is not an address/mask sshd can read: it would never match");
        }
        if (ADDRESS_WILDCARD.matcher(body).matches() && (body.contains("*") || body.contains("?"))
                && (body.contains(".") || body.contains(":") || body.equals("*"))) {
            return Reading.ok(Kind.WILDCARD);
        }
        if (DIGITS_AND_DOTS.matcher(body).matches()) {
            // no host name is all digits (RFC 1123 top-level labels are not numeric): a mistyped address
            return Reading.bad(entry, "is not a valid IPv4 address: it would never match");
        }
        if (HOSTNAME.matcher(body).matches()) {
            return Reading.ok(Kind.HOSTNAME);
        }
        return Reading.bad(entry, "is neither an address, a network, a wildcard nor a host name");
    }

    /**
     * What sshd makes of one entry when it is wrong, as "problem: consequence" text, e.g.
     * {@code has host bits set: sshd refuses the line}; empty when sshd reads it as meant.
     */
    public static Optional<String> sshdProblem(String entry) {
        String body = entry.startsWith("!") ? entry.substring(1) : entry;
        if (body.isEmpty()) {
            return Optional.of("is empty: sshd refuses the line");
        }
        int slash = body.indexOf('/');
        if (slash < 0) {
            return Optional.empty();
        }
        String addr = body.substring(0, slash);
        String mask = body.substring(slash + 1);
        Optional<byte[]> bytes = address(legacyIpv4(addr).orElse(addr));
        if (bytes.isEmpty()) {
            return Optional.of("is not an address/mask: sshd compares it as a wildcard and it never matches");
        }
        // OpenSSH 10.0 reads the mask with strtonum(mask, 0, INT_MAX) where 9.2 took only plain
        // digits up to 128: the two disagree on a sign (or, strtoll's way, blanks) before the digits
        // and on masks from 129 to 2^31-1. Checked on Debian 12's 9.2 and Debian 13's 10.0 through
        // `Match Address` under sshd -T, which goes through the same addr_match_list as from=:
        // "/+8" matches as /8 on 10.0 only, "/129".."/2147483647" make 10.0 refuse the config and
        // never match on 9.2, "/2147483648" and "/8x" never match on either.
        if (SIGNED_MASK.matcher(mask).matches()) {
            String digits = mask.replaceAll("[ \t+]", "");
            return Optional.of("has mask \"/" + mask + "\": OpenSSH 9.2 compares it as a wildcard and it never matches;"
                    + " 10.0 reads it as /" + new BigInteger(digits));
        }
        if (mask.isEmpty() || !mask.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of("has an unreadable mask: sshd compares it as a wildcard and it never matches");
        }
        BigInteger value = new BigInteger(mask);
        if (value.compareTo(BigInteger.valueOf(128)) > 0 && value.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) <= 0) {
            return Optional.of("has mask /" + mask + " beyond 128 bits: OpenSSH 9.2 compares it as a wildcard and it never"
                    + " matches; 10.0 refuses the line");
        }
        if (value.compareTo(BigInteger.valueOf(128)) > 0) {
            return Optional.of("has an unreadable mask: sshd compares it as a wildcard and it never matches");
        }
        int len = Integer.parseInt(mask);
        int bits = bytes.get().length * 8;
        if (len > bits) {
            return Optional.of("has mask /" + len + " beyond " + bits + " bits: sshd refuses the line");
        }
        if (!hostBitsZero(bytes.get(), len)) {
            return Optional.of("has host bits set: sshd refuses the line");
        }
        return Optional.empty();
    }

    private static Optional<Kind> addressOrCidr(String body) {
        int slash = body.indexOf('/');
        String addr = slash < 0 ? body : body.substring(0, slash);
        if (address(addr).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(slash < 0 ? Kind.ADDRESS : Kind.CIDR);
    }

    /**
     * The address sshd reads from an IPv4 entry written in one of the legacy forms inet_aton
     * accepts, as a canonical dotted quad; empty for a canonical dotted quad and for anything that
     * is not an IPv4 number. sshd parses from= addresses with getaddrinfo(AI_NUMERICHOST), which
     * takes them (checked against OpenSSH 9.2): fewer than four parts ({@code 127.1} is 127.0.0.1,
     * the last part fills the remaining bytes), octal parts with a leading 0 ({@code 010.0.0.1}
     * is 8.0.0.1, not 10.0.0.1) and hex parts with 0x ({@code 0x7f.1}).
     */
    public static Optional<String> legacyIpv4(String s) {
        if (s.isEmpty() || IPV4.matcher(s).matches() || !LEGACY_IPV4_CHARS.matcher(s).matches()) {
            return Optional.empty();
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long value = 0;
        for (int i = 0; i < parts.length; i++) {
            Optional<Long> part = inetAtonPart(parts[i]);
            boolean last = i == parts.length - 1;
            long limit = last ? (1L << (8 * (4 - i))) - 1 : 255;
            if (part.isEmpty() || part.get() > limit) {
                return Optional.empty();
            }
            value = last ? value | part.get() : value | part.get() << (8 * (3 - i));
        }
        return Optional.of((value >>> 24) + "." + ((value >>> 16) & 255) + "." + ((value >>> 8) & 255) + "." + (value & 255));
    }

    /** One part of an inet_aton address: 0x hex, 0-led octal, or decimal; empty when malformed or huge. */
    private static Optional<Long> inetAtonPart(String p) {
        int radix = 10;
        String digits = p;
        if (p.startsWith("0x") || p.startsWith("0X")) {
            radix = 16;
            digits = p.substring(2);
        } else if (p.length() > 1 && p.startsWith("0")) {
            radix = 8;
            digits = p.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 11) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(digits, radix));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The bytes of a canonical IPv4 or an IPv6 literal; never resolves names. */
    static Optional<byte[]> address(String s) {
        if (IPV4.matcher(s).matches()) {
            String[] p = s.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) Integer.parseInt(p[i]);
            }
            return Optional.of(b);
        }
        if (s.contains(":") && IPV6_CHARS.matcher(s).matches()) {
            try {
                // safe: a string of hex digits, colons and dots is a literal, so no DNS lookup happens
                byte[] b = InetAddress.getByName("[" + s + "]").getAddress();
                if (b.length == 4) {
                    return Optional.empty(); // an IPv4-mapped form; sshd keeps it IPv6, keep it simple and refuse
                }
                return Optional.of(b);
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean hostBitsZero(byte[] addr, int maskLen) {
        for (int bit = maskLen; bit < addr.length * 8; bit++) {
            if ((addr[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
