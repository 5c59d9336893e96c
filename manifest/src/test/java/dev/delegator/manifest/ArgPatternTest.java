package dev.delegator.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgPatternTest {
    @ParameterizedTest
    @ValueSource(strings = {"[0-9a-f]{40}", "[a-z0-9][a-z0-9._-]*", "blog", "(main|stable)", "v[0-9]+\\.[0-9]+", "[^/]+", "a|b"})
    void commonSubsetIsAccepted(String p) {
        assertEquals(Optional.empty(), ArgPattern.problem(p));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\d+", "\\w", "\\s", "(a)\\1", "(?i)blog", "(?=x)", "a*?", "a++", "[\\]]", "[[:alpha:]]", "[a&&b]", "[]a]", "", "a\tb", "\\"})
    void outsideTheSubsetIsRefused(String p) {
        assertTrue(ArgPattern.problem(p).isPresent(), p);
    }
}
