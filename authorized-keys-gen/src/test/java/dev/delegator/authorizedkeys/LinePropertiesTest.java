package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.keys.KeyType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the line writer and reader with jqwik, which shrinks a failure to a minimal case
 * and prints the seed to replay it: parse(render(x)) equals x for generated delegation lines, values
 * sshd would misread are always refused, and the parser is total. (Arbitrary bytes are
 * coverage-guided fuzzed in {@link AuthorizedKeysFuzzTest}.)
 */
class LinePropertiesTest {
    /** Characters that stress sshd's quoting and the delegate's shell (also the differential tests' payloads). */
    static final String[] PIECES = {
        "\"", "\\", "\\\"", "\\\\\"", "'", "$", "`", "$(id)", ";", "&&", "|", " ", "\t", ",", "=", "#", "!", "*", "?",
        "é", "日本", "😀", "\u00a0", "\u2028", "a", "b", "z", "0", "9", "/", "-", "_", "(", ")", "{", "}", "[", "]", "~", "%", "\\n",
    };
    private static final String[] FROM = {
        "127.0.0.1", "::1", "10.0.0.0/8", "192.0.2.0/24", "!192.0.2.7", "192.0.2.*", "2001:db8::/32", "0.0.0.0/0", "::/0", "172.16.5.4/32",
    };
    private static final String[] FLAGS = {"no-pty", "no-port-forwarding", "no-agent-forwarding", "no-X11-forwarding", "no-user-rc",
        "verify-required", "touch-required"};
    /** Fragments that make up authorized_keys lines, plus noise. */
    private static final String[] FRAGMENTS = {
        "restrict", "no-pty", "pty", "command=", "from=", "expiry-time=", "environment=", "permitopen=", "permitlisten=",
        "tunnel=", "principals=", "cert-authority", "no-touch-required", "verify-required", "\"", "\\\"", "\\", ",", " ", "\t",
        "\r", "\0", "=", "#", "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com", "RSA",
        "AAAA", "AAAAC3NzaC1lZDI1NTE5", "==", "=", "20270101Z", "10.0.0.1/8", "[::1]:22", "*", "é", "😀", "\uD800", "x",
    };

    private static Arbitrary<String> text(int maxPieces) {
        return Arbitraries.of(PIECES).list().ofMinSize(1).ofMaxSize(maxPieces).map(l -> String.join("", l));
    }

    /** What a delegation line is made of. */
    record Spec(KeyType type, Optional<String> command, List<String> from, Optional<Instant> expiry, List<String> flags,
            Optional<String> principals, String comment) {}

    @Provide
    Arbitrary<Spec> delegationLines() {
        List<KeyType> plain = Arrays.stream(KeyType.values()).filter(t -> !t.certificate()).toList();
        Arbitrary<Optional<String>> command = text(40).map(c -> c.endsWith("\\") ? c + "x" : c).optional(0.75);
        Arbitrary<List<String>> from = Arbitraries.of(FROM).list().ofMinSize(1).ofMaxSize(4)
                .map(l -> l.stream().allMatch(f -> f.startsWith("!")) ? concat(l, "127.0.0.1") : l)
                .injectDuplicates(0.1).optional(0.5).map(o -> o.orElse(List.of()));
        Arbitrary<Optional<Instant>> expiry = Arbitraries.longs().between(1, 200_000_000_000L).map(Instant::ofEpochSecond).optional(0.5);
        Arbitrary<List<String>> flags = Arbitraries.subsetOf(FLAGS).map(s -> Arrays.stream(FLAGS).filter(s::contains).toList());
        Arbitrary<Optional<String>> principals = text(5).map(p -> p.replace("\\", "") + "p").optional(1.0 / 6);
        Arbitrary<String> comment = text(6).map(c -> "c" + c.replace("\\n", "")).optional(0.5).map(o -> o.orElse(""));
        return Combinators.combine(Arbitraries.of(plain), command, from, expiry, flags, principals, comment).as(Spec::new);
    }

    private static List<String> concat(List<String> l, String x) {
        List<String> out = new ArrayList<>(l);
        out.add(x);
        return out;
    }

    @Property(tries = 2000)
    void parseOfRenderIsIdentityForGeneratedLines(@ForAll("delegationLines") Spec s) {
        DelegationLine.Builder b = DelegationLine.builder().publicKey(KeyFixtures.of(s.type()).line());
        s.command().ifPresent(b::command);
        if (!s.from().isEmpty()) {
            b.from(s.from());
        }
        s.expiry().ifPresent(b::expiry);
        s.flags().forEach(f -> b.option(KeyOption.flag(f)));
        s.principals().ifPresent(p -> b.option(KeyOption.flag("cert-authority")).option(KeyOption.valued("principals", p)));
        b.comment(s.comment());
        AuthorizedKeyLine x = b.build();
        AuthorizedKeyLine back = AuthorizedKeyLine.parse(x.render());
        assertEquals(x, back);
        assertEquals(x.options(), back.options());
        assertTrue(x.render().startsWith("restrict"));
        s.command().ifPresent(c -> assertEquals(Optional.of(c), back.value(OptionKind.COMMAND)));
    }

    @Property(tries = 2000)
    void valuesSshdWouldMisreadAreAlwaysRefused(@ForAll("commands") String command, @ForAll("poison") String bad,
            @ForAll @IntRange(min = 0, max = 1000) int at) {
        int i = Math.min(at, command.length());
        String poisoned = command.substring(0, i) + bad + command.substring(i);
        UnsafeLineException e = assertThrows(UnsafeLineException.class,
                () -> DelegationLine.builder().publicKey(KeyFixtures.of(KeyType.ED25519).line()).command(poisoned).build());
        assertTrue(e.getMessage().startsWith("command="), e.getMessage());
        UnsafeLineException backslash = assertThrows(UnsafeLineException.class,
                () -> DelegationLine.builder().publicKey(KeyFixtures.of(KeyType.ED25519).line()).command(command + "\\").build());
        assertTrue(backslash.getMessage().contains("ends in a backslash"), backslash.getMessage());
    }

    @Provide
    Arbitrary<String> commands() {
        return text(20);
    }

    @Provide
    Arbitrary<String> poison() {
        return Arbitraries.of("\n", "\r", "\0", "\u0001", "\u001f", "\u007f");
    }

    @Provide
    Arbitrary<String> lineLikeText() {
        List<String> valid = KeyFixtures.all().values().stream().map(KeyFixtures.Fixture::line).toList();
        Arbitrary<String> fragments = Arbitraries.of(FRAGMENTS).list().ofMaxSize(12).map(l -> String.join("", l));
        Arbitrary<String> mutated = Combinators.combine(Arbitraries.of(valid), Arbitraries.of(FRAGMENTS).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.integers().between(0, 10_000).list().ofSize(4)).as((key, inserts, positions) -> {
                    StringBuilder b = new StringBuilder("restrict,command=\"echo \\\"hi\\\"\",from=\"10.0.0.0/8\" " + key);
                    for (int k = 0; k < inserts.size(); k++) {
                        int p = positions.get(k) % (b.length() + 1);
                        if (k % 2 == 0) {
                            b.insert(p, inserts.get(k));
                        } else if (p < b.length()) {
                            b.deleteCharAt(p);
                        }
                    }
                    return b.toString();
                });
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(60);
        return Arbitraries.oneOf(fragments, mutated, noise);
    }

    @Property(tries = 20_000)
    void parserReturnsALineOrItsOwnExceptionForAnyInput(@ForAll("lineLikeText") String input) {
        try {
            AuthorizedKeyLine line = AuthorizedKeyLine.parse(input);
            assertEquals(input, line.render());
            line.fingerprint();
            Statistics.collect("parsed");
        } catch (AuthorizedKeysSyntaxException expected) {
            Statistics.collect("refused");
            assertTrue(expected.column() >= 1 && expected.column() <= input.codePointCount(0, input.length()) + 1,
                    "column " + expected.column() + " outside " + LineRenderer.describe(input));
        }
        assertEquals(input + "\n" + input, AuthorizedKeysFile.parse(input + "\n" + input, "fuzz").text());
        // the generator must also produce valid lines, or the property says little
        Statistics.coverage(c -> c.check("parsed").count(n -> n > 100));
    }
}
