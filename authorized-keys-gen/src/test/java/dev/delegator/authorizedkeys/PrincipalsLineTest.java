package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AuthorizedPrincipalsFile lines: written by the delegation line writer, read back as sshd splits them, linted. */
class PrincipalsLineTest {
    private static final String COMMAND = "/usr/lib/delegator/dispatch --conf-dir \"/etc/x y\" blog";

    private static PrincipalsLine written() {
        return DelegationLine.builder().command(COMMAND).from(List.of("127.0.0.1", "::1")).buildPrincipalsLine("delegator:blog");
    }

    private static List<LintProblem> lint(String line, Map<String, Optional<String>> forced) {
        return new PrincipalsLinter(new AuthorizedKeysLinter(Clock.systemUTC(), ZoneOffset.UTC, Optional.empty()))
                .lintLine("p", 1, line, forced);
    }

    @Test
    void theWriterRendersRestrictFromAndCommandAndTheReaderReadsItBack() {
        String text = written().render();
        assertEquals("restrict,from=\"127.0.0.1,::1\",command=\"/usr/lib/delegator/dispatch --conf-dir \\\"/etc/x y\\\" blog\" delegator:blog", text);
        PrincipalsLine back = PrincipalsLine.parse(text + "  \n");
        assertEquals("delegator:blog", back.principal());
        assertEquals(Optional.of(COMMAND), back.command());
        assertEquals(written().options(), back.options());
        assertEquals(List.of(), lint(text, Map.of("delegator:blog", Optional.of(COMMAND))));
    }

    @Test
    void principalsThatSshdWouldSplitOrNeverMatchAreRefused() {
        for (String bad : List.of("", "a b", "a,b", "#x", "a\"b")) {
            assertThrows(UnsafeLineException.class, () -> DelegationLine.builder().command("x").buildPrincipalsLine(bad), bad);
        }
    }

    @Test
    void lintReportsMissingRestrictOrCommandAndACommandThatDiffersFromTheCertificate() {
        assertEquals(List.of("principals-without-restrict", "principals-without-command"),
                lint("from=\"127.0.0.1\" delegator:blog", Map.of()).stream().map(LintProblem::kind).toList());
        List<LintProblem> differs = lint("restrict,command=\"" + "/usr/lib/delegator/dispatch other\" delegator:blog",
                Map.of("delegator:blog", Optional.of("/usr/lib/delegator/dispatch blog")));
        assertEquals(1, differs.size(), differs::toString);
        assertEquals("command-differs-from-certificate", differs.get(0).kind());
        assertEquals("sshd refuses the certificate's logins (forced command options do not match)", differs.get(0).consequence());
        LintProblem typo = lint("restrict,comand=\"x\" delegator:blog", Map.of()).get(0);
        assertEquals("unparsable", typo.kind());
        assertEquals(10, typo.column(), typo::toString);
        assertEquals(List.of(), lint("# a comment", Map.of()));
    }
}
