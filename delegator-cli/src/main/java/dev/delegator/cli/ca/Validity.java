package dev.delegator.cli.ca;

import dev.delegator.cli.ExitCodes;
import dev.delegator.cli.UserFacingException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate's {@code --validity} as {@code ca sign} and {@code ca sign-host} take it: a whole
 * number of minutes, hours or days ({@code Nm}, {@code Nh}, {@code Nd}) inside the command's range.
 */
record Validity(String command, Duration min, Duration max, String examples, String range) {
    private static final Pattern TEXT = Pattern.compile("([1-9][0-9]{0,5})(m|h|d)");

    /** The duration, or exit 2 with one line naming the command and the value. */
    Duration parse(String text) {
        Matcher mt = TEXT.matcher(text);
        if (!mt.matches()) {
            throw new UserFacingException(ExitCodes.USAGE, command + ": --validity '" + text + "' is not a duration; write e.g. " + examples);
        }
        long n = Long.parseLong(mt.group(1));
        Duration d = switch (mt.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new UserFacingException(ExitCodes.USAGE, command + ": --validity " + text + " is outside " + range);
        }
        return d;
    }
}
