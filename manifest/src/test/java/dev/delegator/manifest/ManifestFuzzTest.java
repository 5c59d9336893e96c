package dev.delegator.manifest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.delegator.testkit.Bounded;

/**
 * Jazzer target for the manifest loader (see {@code AuthorizedKeysFuzzTest} for how the corpus is
 * replayed and fuzzed): any text gives a manifest or a {@link ManifestException}, within
 * {@link Bounded}'s limits (YAML aliases, nesting and size are capped by the loader).
 */
class ManifestFuzzTest {
    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void anyTextIsAManifestOrItsProblems(FuzzedDataProvider data) throws Exception {
        String text = data.consumeRemainingAsString();
        Bounded.check("manifest", () -> {
            try {
                Manifest m = ManifestLoader.parse(text, "fuzz.yaml");
                m.delegations().forEach(d -> d.name());
            } catch (ManifestException problems) {
                if (problems.problems().isEmpty()) {
                    throw new AssertionError("a ManifestException without a problem", problems);
                }
            }
        });
    }
}
