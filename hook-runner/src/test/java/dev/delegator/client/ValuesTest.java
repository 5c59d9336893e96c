package dev.delegator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.delegator.client.internal.ExitSignals;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void requestWordsMayNotCarryWhitespaceOrControls() {
        assertEquals("deploy abc", RunRequest.of("deploy", "abc").command());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunRequest.of("deploy", "a b"));
        assertEquals("request word 2 (a b) contains whitespace or a control character at position 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunRequest.of("deploy", "x\ny"));
        assertEquals("request word 2 (x\\x0ay) contains whitespace or a control character at position 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RunRequest.of("deploy", ""));
        assertEquals("request word 2 is empty", e.getMessage());
    }

    @Test
    void targetValidatesPortAndUser() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DelegationTarget("d", "h", 0, "u",
                Material.file(Path.of("/k")), Material.file(Path.of("/kh"))));
        assertEquals("port (0) must be in 1..65535", e.getMessage());
        assertEquals("h:2222", new DelegationTarget("d", "h", 2222, "u", Material.file(Path.of("/k")),
                Material.file(Path.of("/kh"))).label());
    }

    @Test
    void signalNamesMapToLinuxNumbers() {
        assertEquals(143, ExitSignals.exitStatus("TERM"));
        assertEquals(137, ExitSignals.exitStatus("KILL"));
        assertEquals(130, ExitSignals.exitStatus("SIGINT"));
        assertEquals(255, ExitSignals.exitStatus("BOGUS"));
    }

    @Test
    void envMaterialNeverShowsItsContents() {
        assertEquals("FromEnv[KEY]", Material.env("KEY", "secret").toString());
    }
}
