package dev.delegator.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.delegator.client.DelegationTarget;
import dev.delegator.client.Material;
import dev.delegator.client.RunResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FanOutPartsTest {
    static DelegationTarget host(String h) {
        return new DelegationTarget("d", h, 22, "u", Material.file(Path.of("/k")), Material.file(Path.of("/kh")));
    }

    static RunResult exited(int s) {
        return new RunResult(RunResult.Outcome.EXITED, s, Optional.empty(), Optional.empty(), Duration.ofMillis(10), 0, 0);
    }

    static RunResult unreachable() {
        return new RunResult(RunResult.Outcome.CONNECTION_FAILED, 255, Optional.empty(), Optional.of("refused"),
                Duration.ofMillis(1), 0, 0);
    }

    static FanOutResult of(RunResult... rs) {
        List<FanOutResult.HostRun> runs = new java.util.ArrayList<>();
        for (int i = 0; i < rs.length; i++) {
            runs.add(new FanOutResult.HostRun(host("h" + i), rs[i]));
        }
        return new FanOutResult(runs);
    }

    @Test
    void exitRule() {
        assertEquals(0, of(exited(0), exited(0), exited(0)).exitStatus());
        assertEquals(3, of(exited(0), exited(3), exited(5)).exitStatus());
        assertEquals(255, of(exited(3), unreachable(), exited(0)).exitStatus());
        assertEquals(7, of(exited(7)).exitStatus());
    }

    @Test
    void theSummaryListsTheFailingHostsBeforeTheCount() {
        String summary = of(exited(0), unreachable(), exited(3)).summary();
        List<String> lines = summary.lines().toList();
        assertEquals(List.of("HOST  EXIT   DURATION  RESULT", "h0       0      0.01s  ok", "h1     255      0.00s  unreachable",
                "h2       3      0.01s  exited 3", "failed: h1 (unreachable), h2 (exited 3)", "1 of 3 hosts succeeded; exit 255"), lines);
        assertEquals(List.of("HOST  EXIT   DURATION  RESULT", "h0       0      0.01s  ok", "h1       0      0.01s  ok",
                "2 of 2 hosts succeeded; exit 0"), of(exited(0), exited(0)).summary().lines().toList(), "no failed line when none failed");
    }

    @Test
    void theJsonHasOneObjectPerHostInOrderWithTheReason() {
        RunResult signalled = new RunResult(RunResult.Outcome.SIGNALLED, 143, Optional.of("TERM"), Optional.of("killed by signal TERM"),
                Duration.ofMillis(1500), 10, 2);
        String json = of(exited(0), unreachable(), signalled).toJson();
        assertEquals("{\"exit\":255,\"succeeded\":1,\"total\":3,\"hosts\":["
                + "{\"host\":\"h0\",\"exit\":0,\"result\":\"ok\",\"outcome\":\"exited\",\"signal\":null,\"error\":null,"
                + "\"duration_ms\":10,\"bytes_out\":0,\"bytes_err\":0},"
                + "{\"host\":\"h1\",\"exit\":255,\"result\":\"unreachable\",\"outcome\":\"connection_failed\",\"signal\":null,"
                + "\"error\":\"refused\",\"duration_ms\":1,\"bytes_out\":0,\"bytes_err\":0},"
                + "{\"host\":\"h2\",\"exit\":143,\"result\":\"killed by signal TERM\",\"outcome\":\"signalled\",\"signal\":\"TERM\","
                + "\"error\":\"killed by signal TERM\",\"duration_ms\":1500,\"bytes_out\":10,\"bytes_err\":2}]}", json);
        assertEquals(-1, json.indexOf('\n'), "one line");
    }

    @Test
    void linesArePrefixedWholeAndTheTailGetsANewline() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Object lock = new Object();
        try (LinePrefixingOutputStream a = new LinePrefixingOutputStream("a: ", sink, lock);
                LinePrefixingOutputStream b = new LinePrefixingOutputStream("b: ", sink, lock)) {
            a.write("one\ntw".getBytes(StandardCharsets.UTF_8));
            b.write("x\n".getBytes(StandardCharsets.UTF_8));
            a.write("o\nthree".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("a: one\nb: x\na: two\na: three\n", sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aVeryLongLineIsPassedOnInBoundedPieces() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (LinePrefixingOutputStream a = new LinePrefixingOutputStream("a: ", sink, new Object())) {
            a.write(new byte[LinePrefixingOutputStream.MAX_LINE + 10]);
        }
        List<String> lines = sink.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size());
        assertEquals(3 + LinePrefixingOutputStream.MAX_LINE, lines.get(0).length());
        assertEquals(3 + 10, lines.get(1).length());
    }
}
