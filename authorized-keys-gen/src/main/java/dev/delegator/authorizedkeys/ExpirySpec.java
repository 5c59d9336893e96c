package dev.delegator.authorizedkeys;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an expiry as a person types it on the command line: an ISO date ({@code 2027-01-31},
 * midnight UTC), an ISO date-time ({@code 2027-01-31T12:00}, UTC unless it carries an offset such
 * as {@code Z} or {@code +02:00}), or a duration from now ({@code 30d}, {@code 12h}, {@code 90m},
 * {@code 2w}).
 */
public final class ExpirySpec {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,6})([smhdw])");

    private ExpirySpec() {}

    /** The instant {@code text} stands for, relative to {@code now} for durations. */
    public static Instant parse(String text, Instant now) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(now, "now");
        String t = text.strip();
        Matcher m = DURATION.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
            return now.plus(d);
        }
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (t.endsWith("Z") || t.matches(".*[+-][0-9]{2}:[0-9]{2}$")) {
                return OffsetDateTime.parse(t).toInstant();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("expiry \"" + text
                    + "\" is neither a date (2027-01-31), a UTC date-time (2027-01-31T12:00) nor a duration (30d, 12h)");
        }
    }
}
