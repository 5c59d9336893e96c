package dev.delegator.client;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.delegator.client.internal.PinnedHostKeys;
import dev.delegator.client.internal.PrivateKeys;
import dev.delegator.knownhosts.HostPort;
import dev.delegator.knownhosts.KnownHosts;
import dev.delegator.testkit.Bounded;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer targets for what the caller reads before connecting: the private key (often from an
 * environment variable in CI) and the pinned known_hosts. A value or our typed exception, never
 * another exception, within {@link Bounded}'s limits. A plain test run replays the saved corpus
 * ({@code src/test/resources/dev/delegator/client/ClientInputsFuzzTestInputs/}); {@code bench/fuzz.sh}
 * fuzzes.
 */
class ClientInputsFuzzTest {
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void privateKeysDecodeOrAreRefused(FuzzedDataProvider data) throws Exception {
        byte[] bytes = data.consumeRemainingAsBytes();
        String contents = new String(bytes, StandardCharsets.ISO_8859_1);
        if (contents.isBlank()) {
            return; // Material refuses blank contents; the CLI reports an empty variable before this
        }
        Material m = Material.env("FUZZ_KEY", contents);
        Bounded.check("private key", () -> {
            try {
                PrivateKeys.decode(m, bytes);
            } catch (PrivateKeys.KeyRefusedException refused) {
                // a typed refusal is a result
            }
        });
    }

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void knownHostsAreReadOrRefused(FuzzedDataProvider data) throws Exception {
        int port = data.consumeInt(1, 65535);
        String host = data.consumeString(64);
        String text = data.consumeRemainingAsString();
        if (text.isBlank()) {
            return; // Material refuses blank contents; the CLI reports an empty variable before this
        }
        String target = host.isEmpty() ? "h" : host;
        if (HostPort.problem(target, port).isPresent()) {
            return; // no target: HostPort refuses it with its message before anything reads known_hosts
        }
        Bounded.check("known_hosts", () -> {
            KnownHosts entries;
            try {
                entries = PinnedHostKeys.parse(Material.env("FUZZ_KNOWN_HOSTS", text));
            } catch (IOException refused) {
                return;
            }
            PinnedHostKeys pins = PinnedHostKeys.select(entries, "fuzz", target, port);
            pins.keyTypes();
        });
    }
}
