package dev.delegator.localsshd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real programs (sh, cat, env): what reaches them and what comes back. */
class CommandTest {
    @Test
    void theEnvironmentIsCleanUnlessInheritedAndAddsWhatTheCallerSets() {
        String clean = Command.of("env").env("EXTRA", "1").check().out();
        assertEquals(List.of("EXTRA=1", "LANG=C.UTF-8", "PATH=" + Command.PATH), clean.lines().sorted().toList());
        String inherited = Command.of("env").inheritEnvironment().env("EXTRA", "1").check().out();
        assertTrue(inherited.lines().anyMatch(l -> l.equals("EXTRA=1")));
        System.getenv().keySet().stream().filter(k -> !k.equals("PATH") && !k.equals("LANG") && !k.equals("EXTRA")).findFirst()
                .ifPresent(k -> assertTrue(inherited.lines().anyMatch(l -> l.startsWith(k + "=")), k));
    }

    @Test
    void stdoutKeepsItsBytesStdinIsGivenOrEmptyAndLinesArriveAsTheyCome() {
        byte[] binary = {0, (byte) 0xff, '\n', 'x'};
        assertArrayEquals(binary, Command.of("cat").stdin(binary).run().outBytes());
        assertEquals("", Command.of("cat").run().out(), "stdin is /dev/null by default");
        List<String> lines = new ArrayList<>();
        Command.Result r = Command.of("sh", "-c", "echo one; echo two >&2; printf 'three\\r\\nfour'").run(lines::add);
        assertEquals("one\nthree\r\nfour", r.out());
        assertEquals("two\n", r.err());
        assertTrue(lines.containsAll(List.of("one", "two", "three", "four")) && lines.size() == 4, lines.toString());
    }

    @Test
    void checkSaysTheCommandItsExitAndItsFirstErrorLine() {
        Command.Failed e = assertThrows(Command.Failed.class, () -> Command.of("sh", "-c", "echo; echo 'it broke' >&2; exit 3").check());
        assertEquals("sh -c echo; echo 'it broke' >&2; exit 3 failed (exit 3): it broke", e.getMessage());
    }

    @Test
    void aCommandPastItsLimitIsKilledWithWhatItStarted(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Command.TimedOut e = assertThrows(Command.TimedOut.class, () -> Command.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait")
                .timeout(Duration.ofSeconds(1)).run());
        assertTrue(e.getMessage().endsWith("; wait did not finish within 1 s"), e.getMessage());
        long child = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
        for (int i = 0; i < 100 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(20);
        }
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the background sleep is killed too");
    }

    @Test
    void heldStdinStaysOpenUntilTheCommandEnds() {
        // bash's read fails at once at EOF, and with a status above 128 when its timeout expires on an open stdin
        String probe = "if read -t 1 x; then echo data; elif [ $? -gt 128 ]; then echo open; else echo eof; fi";
        Command.Result held = Command.of("bash", "-c", probe).holdStdinOpen().run();
        assertEquals("open\n", held.out(), held.err());
        assertEquals("eof\n", Command.of("bash", "-c", probe).run().out());
    }
}
