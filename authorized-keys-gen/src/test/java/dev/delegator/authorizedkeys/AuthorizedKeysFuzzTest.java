package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.delegator.testkit.Bounded;
import java.util.List;
import java.util.Optional;

/**
 * Coverage-guided fuzz targets (Jazzer) for the authorized_keys reader and writer. A plain test run
 * replays the saved corpus in {@code src/test/resources/.../AuthorizedKeysFuzzTestInputs/<method>/}
 * (every finding is saved there too); {@code bench/fuzz.sh} fuzzes each for a million executions.
 * Properties: total (a value or our typed exception, nothing else), parse(render(x)) == x, each
 * input within {@link Bounded}'s time and memory.
 */
class AuthorizedKeysFuzzTest {
    private static final String ED25519 =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDgvPlKkHDC3YCk2V0OldW39CEmJ9jmykmKCQO8ojPRb";

    // the slowest target (about 260 executions a second on the 2-core build machine): every input
    // is also read as a file of two copies, and a fuzzed input of 3 KB is hundreds of invalid lines,
    // each a syntax exception; 90 minutes leave room for the million bench/fuzz.sh runs
    @FuzzTest(maxDuration = "90m", maxExecutions = 1_000_000)
    void lineParserIsTotalAndKeepsEveryByte(FuzzedDataProvider data) throws Exception {
        String input = data.consumeRemainingAsString();
        Bounded.check("parse", () -> {
            try {
                AuthorizedKeyLine line = AuthorizedKeyLine.parse(input);
                assertEquals(input, line.render());
                line.fingerprint();
                line.options().forEach(o -> o.kind().orElseThrow());
            } catch (AuthorizedKeysSyntaxException e) {
                assertTrue(e.column() >= 1 && e.column() <= input.codePointCount(0, input.length()) + 1, "column " + e.column());
            }
            String file = input + "\n" + input;
            assertEquals(file, AuthorizedKeysFile.parse(file, "fuzz").text());
        });
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void aWrittenCommandReadsBackExactlyOrIsRefused(FuzzedDataProvider data) throws Exception {
        String command = data.consumeRemainingAsString();
        Bounded.check("write", () -> {
            AuthorizedKeyLine written;
            try {
                written = DelegationLine.builder().publicKey(ED25519).command(command).from(List.of("127.0.0.1")).build();
            } catch (UnsafeLineException refused) {
                return;
            }
            AuthorizedKeyLine back = AuthorizedKeyLine.parse(written.render());
            assertEquals(written, back);
            assertEquals(Optional.of(command), back.value(OptionKind.COMMAND));
            assertTrue(written.render().startsWith("restrict,"));
        });
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void fromPatternsAndExpiryTimesAreReadTotally(FuzzedDataProvider data) throws Exception {
        boolean hostNames = data.consumeBoolean();
        String entry = data.consumeRemainingAsString();
        Bounded.check("from", () -> {
            FromPattern.sshdProblem(entry);
            FromPattern.legacyIpv4(entry);
            try {
                FromPattern p = FromPattern.parse(entry, hostNames);
                assertEquals(p, FromPattern.parse(p.toString(), hostNames));
            } catch (UnsafeLineException refused) {
                // a typed refusal is a result
            }
            ExpiryTime.parse(entry).ifPresent(t -> {
                t.asWritten();
                t.instant(java.time.ZoneOffset.UTC);
            });
        });
    }
}
