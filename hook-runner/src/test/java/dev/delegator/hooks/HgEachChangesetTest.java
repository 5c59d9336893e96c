package dev.delegator.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.client.RunRequest;
import dev.delegator.testkit.ExternalCommand;
import dev.delegator.testkit.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --each lists the changegroup's changesets with the real hg, in order. */
class HgEachChangesetTest {
    @TempDir
    Path repo;

    String hg(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("hg", "--repository", repo.toString()));
        cmd.addAll(List.of(args));
        var r = ExternalCommand.run(cmd, Map.of("HGPLAIN", "1", "HGUSER", "t <t@example.org>"), null, Duration.ofSeconds(60));
        assertEquals(0, r.exitCode(), r.toString());
        return r.stdout().trim();
    }

    @Test
    void eachChangesetFromFirstToLast() throws Exception {
        Prerequisites.requireCommand("hg");
        assertEquals(0, ExternalCommand.run("hg", "init", repo.toString()).exitCode());
        String[] nodes = new String[3];
        for (int i = 0; i < 3; i++) {
            Files.writeString(repo.resolve("f"), "v" + i + "\n");
            hg("commit", "-A", "-m", "c" + i);
            nodes[i] = hg("log", "-r", "tip", "--template", "{node}");
        }
        List<RunRequest> each = HgHook.requests(Map.of("HG_NODE", nodes[1], "HG_NODE_LAST", nodes[2], "HG_SOURCE", "push"),
                "deploy", HgHook.Changesets.EACH, Set.of(), repo);
        assertEquals(List.of(RunRequest.of("deploy", nodes[1]), RunRequest.of("deploy", nodes[2])), each);
    }
}
