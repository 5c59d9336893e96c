package dev.delegator.knownhosts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import dev.delegator.testkit.TestRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link HostPatterns#matchHostname} against OpenSSH itself: ssh's {@code Match host LIST} is decided
 * by the same {@code match_hostname} as a known_hosts host field, and {@code ssh -G} prints whether
 * it matched. Fixed cases plus a few hundred generated from a small alphabet (wildcards, negation,
 * dots, case), so every disagreement would show.
 */
class HostPatternsAgainstSshTest {
    @Test
    void everyListMatchesAsSshMatchesIt() throws Exception {
        Prerequisites.requireCommand("ssh");
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"web1.example.org", "*.example.org,!web1.example.org"},
                new String[] {"web2.example.org", "*.example.org,!web1.example.org"},
                new String[] {"web2.example.org", "!web1.example.org"},
                new String[] {"WEB1.Example.ORG", "*.example.org"},
                new String[] {"web1.example.org", "*.EXAMPLE.org"},
                new String[] {"web1.example.org", "web?.example.org"},
                new String[] {"web10.example.org", "web?.example.org"},
                new String[] {"example.org", "*.example.org"},
                new String[] {"10.0.0.7", "10.0.*.?"},
                new String[] {"10.0.1.17", "10.0.*.?,!10.0.0.7"}));
        Random random = new Random(16);
        String patternAlphabet = "ab.*?A";
        String hostAlphabet = "ab.B";
        for (int i = 0; i < 300; i++) {
            StringBuilder list = new StringBuilder();
            int entries = 1 + random.nextInt(3);
            for (int e = 0; e < entries; e++) {
                if (e > 0) {
                    list.append(',');
                }
                if (random.nextInt(4) == 0) {
                    list.append('!');
                }
                for (int c = 0, n = 1 + random.nextInt(4); c < n; c++) {
                    list.append(patternAlphabet.charAt(random.nextInt(patternAlphabet.length())));
                }
            }
            StringBuilder host = new StringBuilder();
            for (int c = 0, n = 1 + random.nextInt(4); c < n; c++) {
                host.append(hostAlphabet.charAt(random.nextInt(hostAlphabet.length())));
            }
            cases.add(new String[] {host.toString(), list.toString()});
        }
        try (TestRoot root = TestRoot.create("hostpatterns")) {
            Path config = root.resolve("ssh_config");
            List<String> disagree = new ArrayList<>();
            for (String[] c : cases) {
                Files.writeString(config, "Match host \"" + c[1] + "\"\n  User matched\n");
                String shown = ExternalCommand.check("ssh", "-G", "-F", config.toString(), c[0]);
                boolean ssh = shown.lines().anyMatch(l -> l.equals("user matched"));
                boolean ours = HostPatterns.matchHostname(c[0], c[1]) == 1;
                if (ssh != ours) {
                    disagree.add(c[0] + " in " + c[1] + ": ssh " + ssh + ", ours " + ours);
                }
            }
            assertEquals(List.of(), disagree);
        }
    }
}
