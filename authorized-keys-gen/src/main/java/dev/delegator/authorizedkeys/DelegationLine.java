package dev.delegator.authorizedkeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds the authorized_keys line of a delegation: always {@code restrict} first, then the
 * strengthening options asked for, {@code from=}, {@code expiry-time=} (UTC, {@code Z} form) and
 * {@code command=}, rendered with canonical quoting. Anything that would weaken the line or be
 * misread by sshd is refused with {@link UnsafeLineException} naming the value:
 * {@code environment=}, any option that turns something back on after {@code restrict}
 * ({@code pty}, {@code port-forwarding}, {@code agent-forwarding}, {@code X11-forwarding},
 * {@code user-rc}, {@code permitopen}, {@code permitlisten}, {@code tunnel}), {@code no-touch-required},
 * a malformed {@code from=} list (host names only with {@link Builder#allowHostNamesInFrom(boolean)}),
 * and values holding line breaks, NUL or a trailing backslash.
 *
 * <pre>{@code
 * AuthorizedKeyLine line = DelegationLine.builder()
 *     .publicKey(Files.readString(pub))
 *     .command("/usr/lib/delegator/dispatch blog")
 *     .from(List.of("127.0.0.1", "::1"))
 *     .expiry(Instant.parse("2027-01-01T00:00:00Z"))
 *     .build();
 * }</pre>
 */
public final class DelegationLine {
    private DelegationLine() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the parts of a delegation line; {@link #build()} validates them all. */
    public static final class Builder {
        private AuthorizedKeyLine publicKey;
        private String command;
        private List<String> from;
        private Instant expiry;
        private String comment;
        private boolean allowHostNames;
        private final List<KeyOption> extra = new ArrayList<>();

        private Builder() {}

        /**
         * The key, as a {@code .pub} file's line ({@code type base64 [comment]}). Its comment is
         * used unless {@link #comment(String)} is given. Required. Checked right away.
         *
         * @throws UnsafeLineException when it is not a single plain public key without options
         */
        public Builder publicKey(String publicKeyLine) {
            this.publicKey = publicKeyLine(Objects.requireNonNull(publicKeyLine, "publicKeyLine"));
            return this;
        }

        /** The forced command, shell code for the delegate's login shell ({@code $SHELL -c}). Optional. */
        public Builder command(String command) {
            this.command = command;
            return this;
        }

        /** The {@code from=} entries (addresses, CIDR networks, address wildcards, {@code !} negations). Optional. */
        public Builder from(List<String> patterns) {
            this.from = patterns == null ? null : List.copyOf(patterns);
            return this;
        }

        /** When the key stops working; written as {@code expiry-time="YYYYMMDDHHMMSSZ"}. Optional. */
        public Builder expiry(Instant expiry) {
            this.expiry = expiry;
            return this;
        }

        /** The comment written after the key; defaults to the public key's own comment. */
        public Builder comment(String comment) {
            this.comment = comment;
            return this;
        }

        /** Accept host names in {@code from=} (they only match with {@code UseDNS yes}). Default false. */
        public Builder allowHostNamesInFrom(boolean allow) {
            this.allowHostNames = allow;
            return this;
        }

        /**
         * An extra option that only narrows what the key may do: {@code no-pty}, {@code no-port-forwarding},
         * {@code no-agent-forwarding}, {@code no-X11-forwarding}, {@code no-user-rc} (all implied by
         * {@code restrict}), {@code verify-required}, {@code touch-required}, {@code cert-authority},
         * and {@code principals="…"} together with {@code cert-authority}.
         */
        public Builder option(KeyOption option) {
            extra.add(Objects.requireNonNull(option, "option"));
            return this;
        }

        /** Validates everything and renders the line. */
        public AuthorizedKeyLine build() {
            if (publicKey == null) {
                throw new UnsafeLineException("no public key given");
            }
            AuthorizedKeyLine key = publicKey;
            List<KeyOption> options = new ArrayList<>();
            options.add(KeyOption.flag("restrict"));
            boolean certAuthority = extra.stream().anyMatch(o -> o.is(OptionKind.CERT_AUTHORITY));
            List<KeyOption> checked = new ArrayList<>();
            for (KeyOption o : extra) {
                KeyOption c = checkExtra(o, certAuthority);
                if (checked.stream().anyMatch(x -> x.name().equals(c.name()))) {
                    throw new UnsafeLineException("option \"" + c.name() + "\" given twice");
                }
                checked.add(c);
            }
            checked.sort((a, b) -> rank(a) - rank(b));
            options.addAll(checked);
            if (from != null) {
                List<FromPattern> patterns = FromPattern.parseList(from, allowHostNames);
                String joined = String.join(",", patterns.stream().map(FromPattern::text).toList());
                options.add(KeyOption.valued("from", joined));
            }
            if (expiry != null) {
                options.add(KeyOption.valued("expiry-time", ExpiryTime.of(expiry).text()));
            }
            if (command != null) {
                if (command.isEmpty()) {
                    throw new UnsafeLineException("command= is empty: sshd would run the login shell's empty command");
                }
                options.add(KeyOption.valued("command", command));
            }
            String c = comment != null ? comment : key.comment();
            return AuthorizedKeyLine.of(options, key.type(), key.keyBase64(), c);
        }

        private static AuthorizedKeyLine publicKeyLine(String text) {
            String t = text.strip();
            if (t.contains("\n")) {
                throw new UnsafeLineException("public key holds more than one line");
            }
            AuthorizedKeyLine key;
            try {
                key = AuthorizedKeyLine.parse(t);
            } catch (AuthorizedKeysSyntaxException e) {
                throw new UnsafeLineException("public key is not a key line: " + e.getMessage());
            }
            if (!key.options().isEmpty()) {
                throw new UnsafeLineException("public key already carries options " + key.options() + ": give the bare .pub line");
            }
            if (key.type().certificate()) {
                throw new UnsafeLineException("public key is a certificate (" + key.keyType()
                        + "): authorized_keys lines hold plain keys, or a CA key with cert-authority");
            }
            return key;
        }

        private static KeyOption checkExtra(KeyOption o, boolean certAuthority) {
            OptionKind kind = o.kind().orElseThrow(() ->
                    new UnsafeLineException("unknown option \"" + o.name() + "\": sshd would skip the line"));
            String lower = o.name().toLowerCase(Locale.ROOT);
            switch (kind) {
                case RESTRICT -> throw new UnsafeLineException("restrict is always written first; do not pass it as an option");
                case COMMAND, FROM, EXPIRY_TIME -> throw new UnsafeLineException(
                        "option \"" + o.name() + "\" has its own setting (command, from, expiry); do not pass it as an option");
                case ENVIRONMENT -> throw new UnsafeLineException("environment=" + o.value().map(LineRenderer::describe).orElse("")
                        + " is never written: with PermitUserEnvironment it opens LD_PRELOAD-style escapes");
                case PORT_FORWARDING, AGENT_FORWARDING, X11_FORWARDING, PTY, USER_RC -> {
                    if (!o.negated()) {
                        throw new UnsafeLineException("option \"" + o.name() + "\" re-enables what restrict turns off");
                    }
                    return KeyOption.flag("no-" + kind.spelling());
                }
                case PERMITOPEN, PERMITLISTEN, TUNNEL -> throw new UnsafeLineException("option \"" + o
                        + "\" re-enables forwarding that restrict turns off");
                case TOUCH_REQUIRED -> {
                    if (o.negated()) {
                        throw new UnsafeLineException("no-touch-required drops the security key's touch check");
                    }
                    return KeyOption.flag(lower);
                }
                case VERIFY_REQUIRED -> {
                    if (o.negated()) {
                        throw new UnsafeLineException("no-verify-required is the default; it narrows nothing");
                    }
                    return KeyOption.flag(lower);
                }
                case CERT_AUTHORITY -> {
                    return KeyOption.flag(lower);
                }
                case PRINCIPALS -> {
                    if (!certAuthority) {
                        throw new UnsafeLineException("principals= only acts together with cert-authority");
                    }
                    String v = o.value().orElseThrow(() -> new UnsafeLineException("principals needs a value"));
                    if (v.isEmpty()) {
                        throw new UnsafeLineException("principals= is empty: no certificate would match");
                    }
                    return KeyOption.valued("principals", v);
                }
                default -> throw new UnsafeLineException("option \"" + o.name() + "\" is not accepted");
            }
        }

        private static int rank(KeyOption o) {
            OptionKind k = o.kind().orElseThrow();
            return switch (k) {
                case CERT_AUTHORITY -> 20;
                case PRINCIPALS -> 21;
                default -> 10 + k.ordinal() / 100;
            };
        }
    }

    /**
     * Empty when {@link Builder#publicKey(String)} takes {@code text}: one plain public key line
     * ({@link dev.delegator.keys.PublicKeyLine}'s grammar, no options, not a certificate); otherwise
     * its message. The manifest checks {@code callerPublicKey} with this, so a key it accepts is
     * one the writer accepts.
     */
    public static java.util.Optional<String> publicKeyProblem(String text) {
        try {
            Builder.publicKeyLine(Objects.requireNonNull(text, "text"));
            return java.util.Optional.empty();
        } catch (UnsafeLineException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    /** The options of {@code text} as the command line spells them: {@code name} or {@code name=value}. */
    public static KeyOption optionFromArgument(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            return KeyOption.flag(text);
        }
        String v = text.substring(eq + 1);
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        return KeyOption.valued(text.substring(0, eq), v);
    }

}
