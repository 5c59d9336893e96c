package dev.delegator.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.delegator.authorizedkeys.DelegationLine;
import dev.delegator.authorizedkeys.UnsafeLineException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifest's {@code from:} and the line writer's {@code from=} are one grammar: every entry of
 * {@code from-patterns.txt} goes through {@link ManifestLoader} and through {@link DelegationLine}
 * (what {@code authorized-keys line --from} and apply use), and both must accept it, or both refuse
 * it with the same message.
 */
class ManifestAndWriterAgreeOnFromTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl web1";

    static Stream<Arguments> patterns() throws IOException {
        try (InputStream in = ManifestAndWriterAgreeOnFromTest.class.getResourceAsStream("/from-patterns.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(l -> Arguments.of(l.substring(0, l.indexOf(' ')).equals("accept"), l.substring(l.indexOf(' ') + 1)))
                    .toList().stream();
        }
    }

    static String manifest(String entry, boolean allowHostNames) {
        return """
                version: 1
                delegations:
                  web:
                    caller: {user: ci, host: build1}
                    delegate: {user: dlg-web, home: /var/lib/dlg-web}
                    hosts:
                      - {host: 'web1.example.org', hostKey: '%s'}
                    from: ['192.0.2.10', %s]
                    allowHostNames: %s
                    verbs:
                      restart: {run: /usr/local/sbin/restart-blog}
                """.formatted(KEY, "'" + entry.replace("'", "''") + "'", allowHostNames);
    }

    /** The manifest's verdict: empty when loaded, else the one problem's message (its position checked). */
    static Optional<String> loader(String entry, boolean allowHostNames) {
        try {
            ManifestLoader.parse(manifest(entry, allowHostNames), "m.yaml");
            return Optional.empty();
        } catch (ManifestException e) {
            assertEquals(1, e.problems().size(), e.problems()::toString);
            ManifestProblem p = e.problems().get(0);
            assertEquals("delegations.web.from[1]", p.field());
            assertEquals(8, p.line());
            assertTrue(p.column() > 0, p::toString);
            return Optional.of(p.message());
        }
    }

    static Optional<String> writer(String entry, boolean allowHostNames) {
        try {
            DelegationLine.builder().publicKey(KEY).command("x").from(List.of("192.0.2.10", entry))
                    .allowHostNamesInFrom(allowHostNames).build();
            return Optional.empty();
        } catch (UnsafeLineException e) {
            return Optional.of(e.getMessage());
        }
    }

    @ParameterizedTest(name = "{1}: accepted={0} by both")
    @MethodSource("patterns")
    void theManifestAcceptsExactlyWhatTheLineWriterAccepts(boolean accepted, String entry) {
        Optional<String> writer = writer(entry, true);
        assertEquals(accepted, writer.isEmpty(), () -> "writer: " + writer);
        assertEquals(writer, loader(entry, true));
    }

    @Test
    void hostNamesNeedTheOptInOnBothSidesEachWithItsOwnMessage() {
        assertEquals(Optional.of("'build1.example.org' is a host name; sshd only matches names with UseDNS yes: write addresses, or set allowHostNames: true"),
                loader("build1.example.org", false));
        assertEquals(Optional.of("from= entry \"build1.example.org\" is a host name: it only matches with UseDNS yes (default no); write addresses, or allow host names explicitly"),
                writer("build1.example.org", false));
        assertEquals(Optional.empty(), loader("192.0.2.*", false));
    }

    @Test
    void aListOfOnlyNegationsIsRefusedByBothWithTheSameMessage() {
        String yaml = manifest("x", false).replace("from: ['192.0.2.10', 'x']", "from: ['!10.0.0.0/8', '!192.0.2.7']");
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestLoader.parse(yaml, "m.yaml"));
        UnsafeLineException w = assertThrows(UnsafeLineException.class, () -> DelegationLine.builder().publicKey(KEY)
                .from(List.of("!10.0.0.0/8", "!192.0.2.7")).build());
        assertEquals(1, e.problems().size(), e.problems()::toString);
        assertEquals("delegations.web.from", e.problems().get(0).field());
        assertEquals(w.getMessage(), e.problems().get(0).message());
    }
}
