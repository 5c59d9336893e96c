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
 * <p>{@link #parse(String, boolean)} is the strict writer-side check: it refuses what sshd refuses
 * (a mask with host bits set such as {@code 10.0.0.1/8}, a mask out of range, an empty entry) and,
 * unless allowed, host names, which only match with {@code UseDNS yes}. {@link #sshdProblem(String)}
 * is the reader-side check lint uses.
 *
 * @param text    the entry as written, including a leading {@code !}
 * @param negated true for {@code !entry}
 * @param kind    what the entry is
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
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern ADDRESS_WILDCARD = Pattern.compile("[0-9A-Fa-f:.*?]+");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9*?]([A-Za-z0-9.*?-]*[A-Za-z0-9*?])?");

    public FromPattern {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Validates one entry we are about to write; throws {@link UnsafeLineException} naming it when
     * sshd would refuse the line, when it would never match, or when it is a host name and
     * {@code allowHostNames} is false.
     */
    public static FromPattern parse(String entry, boolean allowHostNames) {
        Objects.requireNonNull(entry, "entry");
        boolean negated = entry.startsWith("!");
        String body = negated ? entry.substring(1) : entry;
        if (body.isEmpty()) {
            throw new UnsafeLineException("from= entry \"" + entry + "\" is empty: sshd refuses the line");
        }
        sshdProblem(entry).ifPresent(p -> {
            throw new UnsafeLineException("from= entry \"" + entry + "\" " + p);
        });
        Optional<Kind> cidr = addressOrCidr(body);
        if (cidr.isPresent()) {
            return new FromPattern(entry, negated, cidr.get());
        }
        if (body.contains("/")) {
            throw new UnsafeLineException("from= entry \"" + entry + "\" is not an address/mask sshd can read: it would never match");
        }
        if (ADDRESS_WILDCARD.matcher(body).matches() && (body.contains("*") || body.contains("?"))
                && (body.contains(".") || body.contains(":") || body.equals("*"))) {
            return new FromPattern(entry, negated, Kind.WILDCARD);
        }
        if (HOSTNAME.matcher(body).matches()) {
            if (!allowHostNames) {
                throw new UnsafeLineException("from= entry \"" + entry
                        + "\" is a host name: it only matches with UseDNS yes (default no); write addresses, or allow host names explicitly");
            }
            return new FromPattern(entry, negated, Kind.HOSTNAME);
        }
        throw new UnsafeLineException("from= entry \"" + entry + "\" is neither an address, a network, a wildcard nor a host name");
    }

    /** Validates a whole list we are about to write: non-empty, at least one entry that is not negated. */
    public static List<FromPattern> parseList(List<String> entries, boolean allowHostNames) {
        if (entries.isEmpty()) {
            throw new UnsafeLineException("from= list is empty: sshd refuses the line");
        }
        List<FromPattern> out = entries.stream().map(e -> parse(e, allowHostNames)).toList();
        if (out.stream().allMatch(FromPattern::negated)) {
            throw new UnsafeLineException("from= list " + entries + " has only negations: sshd never matches it");
        }
        return out;
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
        Optional<byte[]> bytes = address(addr);
        if (bytes.isEmpty()) {
            return Optional.of("is not an address/mask: sshd compares it as a wildcard and it never matches");
        }
        if (mask.isEmpty() || !mask.chars().allMatch(c -> c >= '0' && c <= '9') || new BigInteger(mask).compareTo(BigInteger.valueOf(128)) > 0) {
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
