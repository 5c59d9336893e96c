package dev.delegator.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.delegator.client.RunRequest;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HookRequestsTest {
    static final String A = "a".repeat(40);
    static final String B = "b".repeat(40);
    static final String Z = "0".repeat(40);

    @Test
    void hgTipOnlySendsTheLastNode() throws Exception {
        assertEquals(List.of(RunRequest.of("deploy", B)), HgHook.requests(Map.of("HG_NODE", A, "HG_NODE_LAST", B,
                "HG_SOURCE", "serve", "HG_URL", "remote:ssh:127.0.0.1"), "deploy", HgHook.Changesets.TIP, Set.of(), Path.of(".")));
        assertEquals(List.of(RunRequest.of("publish", A)), HgHook.requests(Map.of("HG_NODE", A), "publish",
                HgHook.Changesets.EACH, Set.of(), Path.of(".")));
    }

    @Test
    void hgSourceFilterSkips() throws Exception {
        assertEquals(List.of(), HgHook.requests(Map.of("HG_NODE", A, "HG_SOURCE", "strip"), "deploy",
                HgHook.Changesets.TIP, Set.of("push", "serve"), Path.of(".")));
    }

    @Test
    void hgWithoutNodeOrWithABadOneIsRefused() {
        HookInputException e = assertThrows(HookInputException.class,
                () -> HgHook.requests(Map.of(), "deploy", HgHook.Changesets.TIP, Set.of(), Path.of(".")));
        assertEquals("HG_NODE is not set: run 'delegator hook hg' as a changegroup or incoming hook", e.getMessage());
        e = assertThrows(HookInputException.class, () -> HgHook.requests(Map.of("HG_NODE", "abc;rm"), "deploy",
                HgHook.Changesets.TIP, Set.of(), Path.of(".")));
        assertEquals("HG_NODE (abc;rm) is not a 40-character hexadecimal changeset id", e.getMessage());
    }

    @Test
    void gitSelectsRefsAndSkipsDeletions() throws Exception {
        String stdin = A + " " + B + " refs/heads/main\n" + B + " " + Z + " refs/heads/old\n" + A + " " + B + " refs/heads/topic\n";
        assertEquals(List.of(RunRequest.of("deploy", B, "refs/heads/main")), GitHook.requests(
                new BufferedReader(new StringReader(stdin)), "deploy", Set.of("refs/heads/main", "refs/heads/old")));
        assertEquals(Set.of("refs/heads/main", "refs/tags/v1"), GitHook.fullRefs(List.of("main", "refs/tags/v1")));
    }

    @Test
    void gitBadLineIsRefusedWithItsNumber() {
        HookInputException e = assertThrows(HookInputException.class, () -> GitHook.requests(
                new BufferedReader(new StringReader(A + " " + B + " refs/heads/main\nnonsense\n")), "deploy", Set.of()));
        assertEquals("post-receive stdin line 2 (nonsense) is not '<old-sha> <new-sha> <ref>'", e.getMessage());
    }
}
