package dev.delegator.manifest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the manifest's durations ({@code 90d}, {@code 10m}), sizes ({@code 512M}) and dates. */
public final class Quantities {
    private Quantities() {}

    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smhdw]?)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([KMGT]?)");

    /** {@code N} seconds, or {@code N} followed by s, m, h, d or w. */
    public static Optional<Duration> duration(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "", "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            case "w" -> Duration.ofDays(7 * n);
            default -> throw new IllegalStateException(m.group(2));
        });
    }

    /** {@code N} bytes, or {@code N} followed by K, M, G or T (powers of 1024). */
    public static Optional<Long> size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2)) {
            case "" -> 0;
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> throw new IllegalStateException(m.group(2));
        };
        if (n > (Long.MAX_VALUE >> shift)) {
            return Optional.empty();
        }
        return Optional.of(n << shift);
    }

    /** {@code YYYY-MM-DD} (00:00 UTC that day) or an ISO-8601 instant such as {@code 2027-01-31T12:00:00Z}. */
    public static Optional<Instant> instant(String text) {
        try {
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
