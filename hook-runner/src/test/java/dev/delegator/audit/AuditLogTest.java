package dev.delegator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir
    Path dir;

    static AuditRecord record(String request) {
        return new AuditRecord(Instant.parse("2026-11-25T18:00:00Z"), "blog", "web1", "dlg-blog", request, "EXITED", 0, 12, 34);
    }

    @Test
    void oneJsonLinePerRunEscapingEverything() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("sub/audit.log"), false);
        assertEquals(Optional.empty(), log.append(record("deploy \"x\"\n\\")));
        assertEquals("{\"time\":\"2026-11-25T18:00:00Z\",\"delegation\":\"blog\",\"host\":\"web1\",\"user\":\"dlg-blog\","
                + "\"request\":\"deploy \\\"x\\\"\\n\\\\\",\"outcome\":\"EXITED\",\"exit\":0,\"duration_ms\":12,\"bytes_out\":34}\n",
                Files.readString(log.file()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(log.file().getParent())));
    }

    @Test
    void concurrentWritersNeverInterleave() throws Exception {
        AuditLog log = new AuditLog(dir.resolve("audit.log"), false);
        List<Thread> threads = new ArrayList<>();
        String big = "x".repeat(3000);
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    log.append(record(big));
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        List<String> lines = Files.readAllLines(log.file());
        assertEquals(1600, lines.size());
        String expected = record(big).toJson();
        assertTrue(lines.stream().allMatch(expected::equals));
    }

    @Test
    void defaultFileFollowsXdgStateHomeWhenNoCallerDirectory() {
        assertEquals(Path.of("/s/delegator/audit.log"),
                AuditLog.defaultFile("nobody-such-caller", Map.of("XDG_STATE_HOME", "/s"), Path.of("/home/x")));
        assertEquals(Path.of("/home/x/.local/state/delegator/audit.log"),
                AuditLog.defaultFile("nobody-such-caller", Map.of(), Path.of("/home/x")));
    }
}
