package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.testkit.CommandResult;
import dev.delegator.testkit.OpenSshClient;
import dev.delegator.testkit.PrivateSshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * The differential properties of {@link SshdDifferentialTest} with jqwik (generated cases that
 * shrink to a minimal one on failure): a command we write reaches the real sshd's session exactly,
 * and our parser's verdict on a mutated option string is sshd's. One private sshd, one real
 * throwaway account, OpenSSH's client, for the whole class.
 */
class SshdPropertiesTest {
    private static OneKeySshd fx;
    private static PrivateSshd sshd;
    private static OpenSshClient client;
    private static String pub;

    @BeforeContainer
    static void start() throws IOException {
        fx = OneKeySshd.start("engine-sshd-props", "dlgap", null);
        sshd = fx.sshd;
        client = fx.client;
        pub = fx.pub;
    }

    @AfterContainer
    static void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    private static void install(String content) throws IOException {
        fx.install(content);
    }

    @Provide
    Arbitrary<String> payloads() {
        return Arbitraries.of(LinePropertiesTest.PIECES).list().ofMinSize(1).ofMaxSize(30).map(l -> String.join("", l));
    }

    @Property(tries = 12)
    void aCommandWeWriteArrivesIntact(@ForAll("payloads") String payload) throws IOException {
        String command = "printf %s " + SshdDifferentialTest.shellQuote(payload);
        AuthorizedKeyLine line = DelegationLine.builder().publicKey(pub).command(command).from(List.of("127.0.0.1"))
                .expiry(Instant.now().plus(Duration.ofDays(1))).build();
        install(line.render() + "\n");
        CommandResult result = client.run("x");
        assertEquals(0, result.exitCode(), result.stderr());
        assertArrayEquals(payload.getBytes(StandardCharsets.UTF_8), result.stdoutBytes(), line.render());
    }

    private static final String TEMPLATE = "restrict,command=\"printf ok\",no-pty,expiry-time=\"20990101Z\"";
    private static final String[] NOISE = {",", ",", ",no-pty", ",pty,", "\"", "\\", "\\\"", "=", " ", "no-", "x", "RESTRICT", "Z", "0", "\t", "a"};

    /** The template with one or two edits: a character deleted, noise inserted, or a character replaced. */
    @Provide
    Arbitrary<String> mutatedOptions() {
        Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.oneOf(Arbitraries.integers().between(0, 1000).withDistribution(RandomDistribution.uniform()),
                        // inside "printf ok", where an edit often leaves a line sshd accepts
                        Arbitraries.integers().between(TEMPLATE.indexOf("printf"), TEMPLATE.indexOf(" ok") + 3)),
                Arbitraries.integers().between(0, NOISE.length - 1)).as((kind, at, noise) -> new int[] {kind, at, noise});
        return edit.list().ofMinSize(1).ofMaxSize(2).map(edits -> {
            StringBuilder b = new StringBuilder(TEMPLATE);
            for (int[] e : edits) {
                int at = e[1] % b.length();
                switch (e[0]) {
                    case 0 -> b.deleteCharAt(at);
                    case 1 -> b.insert(at, NOISE[e[2]]);
                    default -> b.setCharAt(at, NOISE[e[2]].charAt(0));
                }
            }
            return b.toString();
        });
    }

    /**
     * A line we parse (with no cert-authority, which a plain key never matches, and nothing lint
     * says sshd denies or refuses) lets the key in; a line we refuse does not.
     */
    // no edge cases: they all edit the first character, where nearly every edit breaks the line
    @Property(tries = 50, edgeCases = EdgeCasesMode.NONE)
    void parserAgreesWithSshdOnMutatedOptions(@ForAll("mutatedOptions") String options) throws IOException {
        String text = options + " " + pub;
        boolean ours;
        try {
            AuthorizedKeyLine line = AuthorizedKeyLine.parse(text);
            ours = line.option(OptionKind.CERT_AUTHORITY).isEmpty()
                    && new AuthorizedKeysLinter(java.time.Clock.systemUTC(), ZoneOffset.UTC, Optional.empty())
                            .lintContent(AuthorizedKeysFile.parse(text, "m")).stream().map(LintProblem::toString)
                            .noneMatch(p -> p.contains("sshd denies") || p.contains("sshd refuses"));
        } catch (AuthorizedKeysSyntaxException e) {
            ours = false;
        }
        install(text + "\n");
        CommandResult result = client.run("x");
        boolean sshdLetIn = result.exitCode() != 255;
        assertEquals(ours, sshdLetIn, LineRenderer.describe(text) + "\n" + result.stderr());
        Statistics.collect(ours ? "accepted" : "refused");
        // the mutations must give both verdicts, or the property says little
        Statistics.coverage(c -> {
            c.check("accepted").count(n -> n > 3);
            c.check("refused").count(n -> n > 3);
        });
    }
}
