package dev.delegator.authorizedkeys;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code expiry-time="…"} value as sshd 9.2's {@code parse_absolute_time} reads it:
 * {@code YYYYMMDD[HHMM[SS]]}, optionally followed by {@code Z} or {@code UTC} (any case).
 * Without the suffix sshd applies the server's local time zone, so we always write the {@code Z} form.
 *
 * @param text  the value as written
 * @param local the date and time written (normalized the way {@code mktime} does, e.g. Feb 31 -> Mar 3)
 * @param utc   true when the value ends in {@code Z} or {@code UTC}
 */
public record ExpiryTime(String text, LocalDateTime local, boolean utc) {
    private static final DateTimeFormatter WRITTEN = DateTimeFormatter.ofPattern("uuuuMMddHHmmss", Locale.ROOT);

    public ExpiryTime {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(local, "local");
    }

    /** The {@code YYYYMMDDHHMMSSZ} form of {@code instant} (seconds are kept, fractions dropped). */
    public static ExpiryTime of(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        LocalDateTime t;
        try {
            t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC).withNano(0);
        } catch (java.time.DateTimeException e) {
            throw new UnsafeLineException("expiry-time " + instant + " is outside what sshd can read (1970-01-01T00:00:01Z to 9999-12-31)");
        }
        if (t.getYear() < 1970 || t.getYear() > 9999 || !t.toInstant(ZoneOffset.UTC).isAfter(Instant.EPOCH)) {
            throw new UnsafeLineException("expiry-time " + instant + " is outside what sshd can read (1970-01-01T00:00:01Z to 9999-12-31)");
        }
        return new ExpiryTime(WRITTEN.format(t) + "Z", t, true);
    }

    /** Reads a value as sshd does; empty when sshd would refuse the line ("invalid expires time"). */
    public static Optional<ExpiryTime> parse(String text) {
        String s = text;
        boolean utc = false;
        int l = s.length();
        if (l > 1 && s.substring(l - 1).equalsIgnoreCase("Z")) {
            utc = true;
            l--;
        } else if (l > 3 && s.substring(l - 3).equalsIgnoreCase("UTC")) {
            utc = true;
            l -= 3;
        }
        if (l != 8 && l != 12 && l != 14) {
            return Optional.empty();
        }
        for (int i = 0; i < l; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return Optional.empty();
            }
        }
        int year = Integer.parseInt(s.substring(0, 4));
        int month = Integer.parseInt(s.substring(4, 6));
        int day = Integer.parseInt(s.substring(6, 8));
        int hour = l >= 12 ? Integer.parseInt(s.substring(8, 10)) : 0;
        int minute = l >= 12 ? Integer.parseInt(s.substring(10, 12)) : 0;
        int second = l == 14 ? Integer.parseInt(s.substring(12, 14)) : 0;
        // strptime's ranges; mktime/timegm then normalize (Feb 31 becomes Mar 3)
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 61) {
            return Optional.empty();
        }
        LocalDateTime t = LocalDate.of(year, month, 1).atStartOfDay()
                .plusDays(day - 1L).plusHours(hour).plusMinutes(minute).plusSeconds(second);
        ExpiryTime e = new ExpiryTime(text, t, utc);
        // sshd refuses a time at or before the epoch (valid_before == 0, or mktime/timegm < 0)
        if (t.getYear() < 1970 || (utc && !e.instant(ZoneOffset.UTC).isAfter(Instant.EPOCH))) {
            return Optional.empty();
        }
        return Optional.of(e);
    }

    /**
     * True when the fields written are the date and time sshd uses; false when {@code mktime}/{@code
     * timegm} moved them ({@code 20990231} is March 3, second 60 is the next minute).
     */
    public boolean asWritten() {
        String digits = text.substring(0, Math.min(text.length(), 14)).replaceAll("[^0-9].*$", "");
        String normalized = WRITTEN.format(local);
        return normalized.startsWith(digits) && normalized.substring(digits.length()).chars().allMatch(ch -> ch == '0');
    }

    /** The instant this value stands for on a server whose local zone is {@code serverZone} (ignored for UTC values). */
    public Instant instant(ZoneId serverZone) {
        return utc ? local.toInstant(ZoneOffset.UTC) : local.atZone(serverZone).toInstant();
    }
}
