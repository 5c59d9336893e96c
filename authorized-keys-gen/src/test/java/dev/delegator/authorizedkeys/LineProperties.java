package dev.delegator.authorizedkeys;

import dev.delegator.keys.KeyType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property tests written with JUnit and a seeded {@link Random} (reproducible: the seed and the
 * case number are in every failure message): for generated lines parse(render(x)) equals x, and the
 * parser is total (a result or our parse exception, for any input).
 */
class LineProperties {
    private static final long SEED = 0x5eed_de1e_6a70L;
    private static final int CASES = 3000;

    /** Characters that stress sshd's quoting and the delegate's shell. */
    private static final String[] PIECES = {
        "\"", "\\", "\\\"", "\\\\\"", "'", "$", "`", "$(id)", ";", "&&", "|", " ", "\t", ",", "=", "#", "!", "*", "?",
        "é", "日本", "😀", "\u00a0", "\u2028", "a", "b", "z", "0", "9", "/", "-", "_", "(", ")", "{", "}", "[", "]", "~", "%", "\\n",
    };
    private static final String[] FROM = {
        "127.0.0.1", "::1", "10.0.0.0/8", "192.0.2.0/24", "!192.0.2.7", "192.0.2.*", "2001:db8::/32", "0.0.0.0/0", "::/0", "172.16.5.4/32",
    };
    private static final String[] FLAGS = {"no-pty", "no-port-forwarding", "no-agent-forwarding", "no-X11-forwarding", "no-user-rc",
        "verify-required", "touch-required"};

    static String randomText(Random r, int maxPieces) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(maxPieces);
        for (int i = 0; i < n; i++) {
            b.append(PIECES[r.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    @Test
    void parseOfRenderIsIdentityForGeneratedLines() {
        Random r = new Random(SEED);
        List<KeyType> plain = java.util.Arrays.stream(KeyType.values()).filter(t -> !t.certificate()).toList();
        for (int c = 0; c < CASES; c++) {
            String command = randomText(r, 40);
            if (command.endsWith("\\")) {
                command = command + "x";
            }
            DelegationLine.Builder b = DelegationLine.builder().publicKey(KeyFixtures.of(plain.get(r.nextInt(plain.size()))).line());
            if (r.nextInt(4) > 0) {
                b.command(command);
            }
            if (r.nextBoolean()) {
                List<String> from = new ArrayList<>();
                int n = 1 + r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    from.add(FROM[r.nextInt(FROM.length)]);
                }
                if (from.stream().allMatch(f -> f.startsWith("!"))) {
                    from.add("127.0.0.1");
                }
                b.from(from);
            }
            if (r.nextBoolean()) {
                b.expiry(Instant.ofEpochSecond(1 + (long) (r.nextDouble() * 200_000_000_000L)));
            }
            List<String> used = new ArrayList<>();
            for (String f : FLAGS) {
                if (r.nextInt(5) == 0) {
                    b.option(KeyOption.flag(f));
                    used.add(f);
                }
            }
            if (r.nextInt(6) == 0) {
                b.option(KeyOption.flag("cert-authority")).option(KeyOption.valued("principals", randomText(r, 5).replace("\\", "") + "p"));
            }
            b.comment(r.nextBoolean() ? "" : "c" + randomText(r, 6).replace("\\n", ""));
            String where = "seed " + SEED + " case " + c;
            AuthorizedKeyLine x;
            try {
                x = b.build();
            } catch (UnsafeLineException e) {
                fail(where + ": a valid delegation was refused: " + e.getMessage());
                return;
            }
            AuthorizedKeyLine back = AuthorizedKeyLine.parse(x.render());
            assertEquals(x, back, where);
            assertEquals(x.options(), back.options(), where);
            assertTrue(x.render().startsWith("restrict"), where);
            if (x.option(OptionKind.COMMAND).isPresent()) {
                assertEquals(Optional.of(command), back.value(OptionKind.COMMAND), where);
            }
        }
    }

    @Test
    void valuesSshdWouldMisreadAreAlwaysRefused() {
        Random r = new Random(SEED + 1);
        String[] bad = {"\n", "\r", "\0", "\u0001", "\u001f", "\u007f"};
        for (int c = 0; c < CASES; c++) {
            String command = randomText(r, 20);
            int at = r.nextInt(command.length() + 1);
            String poisoned = command.substring(0, at) + bad[r.nextInt(bad.length)] + command.substring(at);
            String where = "seed " + (SEED + 1) + " case " + c;
            try {
                DelegationLine.builder().publicKey(KeyFixtures.of(KeyType.ED25519).line()).command(poisoned).build();
                fail(where + ": accepted " + LineRenderer.describe(poisoned));
            } catch (UnsafeLineException e) {
                assertTrue(e.getMessage().startsWith("command="), where + ": " + e.getMessage());
            }
            try {
                DelegationLine.builder().publicKey(KeyFixtures.of(KeyType.ED25519).line()).command(command + "\\").build();
                fail(where + ": accepted a trailing backslash");
            } catch (UnsafeLineException e) {
                assertTrue(e.getMessage().contains("ends in a backslash"), where + ": " + e.getMessage());
            }
        }
    }

    /** Fragments that make up authorized_keys lines, plus noise, to fuzz the parser. */
    private static final String[] FUZZ = {
        "restrict", "no-pty", "pty", "command=", "from=", "expiry-time=", "environment=", "permitopen=", "permitlisten=",
        "tunnel=", "principals=", "cert-authority", "no-touch-required", "verify-required", "\"", "\\\"", "\\", ",", " ", "\t",
        "\r", "\0", "=", "#", "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com", "RSA",
        "AAAA", "AAAAC3NzaC1lZDI1NTE5", "==", "=", "20270101Z", "10.0.0.1/8", "[::1]:22", "*", "é", "😀", "\uD800", "x",
    };

    @Test
    void parserReturnsALineOrItsOwnExceptionForAnyInput() {
        Random r = new Random(SEED + 2);
        List<String> valid = KeyFixtures.all().values().stream().map(KeyFixtures.Fixture::line).toList();
        int parsed = 0;
        for (int c = 0; c < 20 * CASES; c++) {
            String input;
            switch (r.nextInt(3)) {
                case 0 -> {
                    StringBuilder b = new StringBuilder();
                    int n = r.nextInt(12);
                    for (int i = 0; i < n; i++) {
                        b.append(FUZZ[r.nextInt(FUZZ.length)]);
                    }
                    input = b.toString();
                }
                case 1 -> input = mutate(r, "restrict,command=\"echo \\\"hi\\\"\",from=\"10.0.0.0/8\" " + valid.get(r.nextInt(valid.size())));
                default -> {
                    StringBuilder b = new StringBuilder();
                    int n = r.nextInt(60);
                    for (int i = 0; i < n; i++) {
                        b.append((char) r.nextInt(r.nextBoolean() ? 128 : 0x10000));
                    }
                    input = b.toString();
                }
            }
            try {
                AuthorizedKeyLine line = AuthorizedKeyLine.parse(input);
                assertEquals(input, line.render());
                line.fingerprint();
                parsed++;
            } catch (AuthorizedKeysSyntaxException expected) {
                assertTrue(expected.column() >= 1 && expected.column() <= input.codePointCount(0, input.length()) + 1,
                        "seed " + (SEED + 2) + " case " + c + ": column " + expected.column() + " outside " + LineRenderer.describe(input));
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + (SEED + 2) + " case " + c + ": " + LineRenderer.describe(input) + " threw " + e, e);
            }
            try {
                AuthorizedKeysFile f = AuthorizedKeysFile.parse(input + "\n" + input, "fuzz");
                assertEquals(input + "\n" + input, f.text());
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + (SEED + 2) + " case " + c + ": file of " + LineRenderer.describe(input) + " threw " + e, e);
            }
        }
        assertTrue(parsed > 100, "the fuzzer should also produce valid lines, got " + parsed);
    }

    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n && b.length() > 0; i++) {
            int at = r.nextInt(b.length());
            switch (r.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, FUZZ[r.nextInt(FUZZ.length)]);
                default -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
            }
        }
        return b.toString();
    }
}
