package dev.delegator.authorizedkeys;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One option of an authorized_keys line: its name as written (sshd ignores case) and, for
 * {@code name="value"} options, the value as sshd reads it (after {@code \"} is turned into {@code "}).
 *
 * @param name  the name as written, e.g. {@code no-pty} or {@code Command}
 * @param value the dequoted value, empty for flags
 */
public record KeyOption(String name, Optional<String> value) {
    public KeyOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("option name is empty");
        }
    }

    /** A flag such as {@code restrict} or {@code no-pty}. */
    public static KeyOption flag(String name) {
        return new KeyOption(name, Optional.empty());
    }

    /** A {@code name="value"} option; {@code value} is the text sshd should end up with. */
    public static KeyOption valued(String name, String value) {
        return new KeyOption(name, Optional.of(Objects.requireNonNull(value, "value")));
    }

    /** The documented option this is, if any. */
    public Optional<OptionKind> kind() {
        return OptionKind.forName(name);
    }

    /** True for the {@code no-} form of a negatable flag. */
    public boolean negated() {
        return kind().map(k -> k.shape() == OptionKind.Shape.NEGATABLE_FLAG
                && name.toLowerCase(Locale.ROOT).startsWith("no-")).orElse(false);
    }

    /** True when this option is {@code kind} (in either form for negatable flags). */
    public boolean is(OptionKind kind) {
        return kind().filter(kind::equals).isPresent();
    }

    @Override
    public String toString() {
        return value.map(v -> name + "=\"" + v + "\"").orElse(name);
    }
}
