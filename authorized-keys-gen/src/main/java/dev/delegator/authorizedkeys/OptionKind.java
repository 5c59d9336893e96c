package dev.delegator.authorizedkeys;

import java.util.Locale;
import java.util.Optional;

/**
 * Every option sshd(8) documents in its AUTHORIZED_KEYS FILE FORMAT section, in the order
 * OpenSSH 9.2's {@code sshauthopt_parse} tries them (the order matters: sshd matches by prefix).
 */
public enum OptionKind {
    RESTRICT("restrict", Shape.FLAG),
    CERT_AUTHORITY("cert-authority", Shape.FLAG),
    PORT_FORWARDING("port-forwarding", Shape.NEGATABLE_FLAG),
    AGENT_FORWARDING("agent-forwarding", Shape.NEGATABLE_FLAG),
    X11_FORWARDING("X11-forwarding", Shape.NEGATABLE_FLAG),
    TOUCH_REQUIRED("touch-required", Shape.NEGATABLE_FLAG),
    VERIFY_REQUIRED("verify-required", Shape.NEGATABLE_FLAG),
    PTY("pty", Shape.NEGATABLE_FLAG),
    USER_RC("user-rc", Shape.NEGATABLE_FLAG),
    COMMAND("command", Shape.VALUE),
    PRINCIPALS("principals", Shape.VALUE),
    FROM("from", Shape.VALUE),
    EXPIRY_TIME("expiry-time", Shape.VALUE),
    ENVIRONMENT("environment", Shape.VALUE),
    PERMITOPEN("permitopen", Shape.VALUE),
    PERMITLISTEN("permitlisten", Shape.VALUE),
    TUNNEL("tunnel", Shape.VALUE);

    /** How an option is written. */
    public enum Shape {
        /** A bare word. */
        FLAG,
        /** A bare word that also has a {@code no-} form. */
        NEGATABLE_FLAG,
        /** {@code name="value"}. */
        VALUE
    }

    private final String spelling;
    private final Shape shape;

    OptionKind(String spelling, Shape shape) {
        this.spelling = spelling;
        this.shape = shape;
    }

    /** The spelling sshd(8) uses (names are case-insensitive to sshd). */
    public String spelling() {
        return spelling;
    }

    public Shape shape() {
        return shape;
    }

    /** True when sshd rejects the whole line if this option appears twice. */
    public boolean singleUse() {
        return this == COMMAND || this == PRINCIPALS || this == FROM;
    }

    /** The kind whose name (with a {@code no-} prefix for negatable flags) equals {@code name}, ignoring case. */
    public static Optional<OptionKind> forName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (OptionKind k : values()) {
            String s = k.spelling.toLowerCase(Locale.ROOT);
            if (lower.equals(s) || (k.shape == Shape.NEGATABLE_FLAG && lower.equals("no-" + s))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
