package dev.delegator.invocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.delegator.knownhosts.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostsFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "web1|web1|22|1",
        "'  web1:2222'|web1|2222|3",
        "'\tweb1.example.org   # the first web host'|web1.example.org|22|2",
        "[::1]:2200|::1|2200|1",
        "2001:db8::10|2001:db8::10|22|1",
    })
    void aLineIsOneHostWithItsColumn(String line, String host, int port, int column) {
        HostsFile.Line parsed = HostsFile.parseLine(line, 22);
        assertEquals(new HostsFile.Line.Host(new HostPort(host, port), column), parsed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''", "'   '", "'# web9 is gone'", "'   # indented comment'"})
    void blankAndCommentLinesHoldNothing(String line) {
        assertEquals(new HostsFile.Line.Empty(), HostsFile.parseLine(line, 22));
    }

    @Test
    void aCommentNeedsASpaceBeforeIt() {
        assertEquals(new HostsFile.Line.Problem(1, "'192.0.2.7:2022#rack' has no valid port after ':' (want 1-65535)"),
                HostsFile.parseLine("192.0.2.7:2022#rack", 22));
    }

    @Test
    void aSecondWordOnALineIsRefusedAtItsColumn() {
        assertEquals(new HostsFile.Line.Problem(6, "one host[:port] per line; 'web2' follows 'web1' (a comment starts with #)"),
                HostsFile.parseLine("web1 web2", 22));
    }

    @Test
    void aBadPortIsRefusedWithTheHostPortReadersMessage() {
        assertEquals(new HostsFile.Line.Problem(3, "port 70000 is outside 1-65535"),
                HostsFile.parseLine("  web1:70000", 22));
        assertEquals(new HostsFile.Line.Problem(1, "'web@1' is not a host name or address (character '@' at 4)"),
                HostsFile.parseLine("web@1", 22));
    }

    @Test
    void aFileKeepsItsOrderSkipsCommentsAndTakesTheDefaultPort() throws Exception {
        Path f = write("# fleet\nweb1\r\n\nweb2:2222   # rack 2\n[2001:db8::1]\n");
        assertEquals(List.of(new HostPort("web1", 2200), new HostPort("web2", 2222), new HostPort("2001:db8::1", 2200)),
                HostsFile.read(f, 2200));
    }

    @Test
    void theFirstProblemIsNamedByFileLineAndColumnAndTheOthersCounted() throws Exception {
        Path f = write("web1\n  web2 web3\nweb4:0\nweb5:x\n");
        ResolveException e = assertThrows(ResolveException.class, () -> HostsFile.read(f, 22));
        assertEquals(ResolveException.Kind.INVALID_INPUT, e.kind());
        assertEquals(f + ":2:8: one host[:port] per line; 'web3' follows 'web2' (a comment starts with #) (and 2 more problems)",
                e.getMessage());
    }

    @Test
    void aHostTwiceIsAProblemNamingTheFirstLine() throws Exception {
        Path f = write("web1\nweb2\n web1:22\n");
        ResolveException e = assertThrows(ResolveException.class, () -> HostsFile.read(f, 22));
        assertEquals(f + ":3:2: web1 is already on line 1 (it would run twice)", e.getMessage());
    }

    @Test
    void aFileWithoutHostsMissingOrNotUtf8IsAnInputError() throws Exception {
        Path empty = write("# nothing here\n\n");
        assertEquals(empty + ": no host in the hosts file",
                assertThrows(ResolveException.class, () -> HostsFile.read(empty, 22)).getMessage());
        Path missing = dir.resolve("missing");
        assertEquals("cannot read hosts file " + missing + ": no such file",
                assertThrows(ResolveException.class, () -> HostsFile.read(missing, 22)).getMessage());
        Path latin1 = dir.resolve("latin1");
        Files.write(latin1, new byte[] {'w', (byte) 0xe9, '\n'});
        ResolveException e = assertThrows(ResolveException.class, () -> HostsFile.read(latin1, 22));
        assertEquals(ResolveException.Kind.INVALID_INPUT, e.kind());
        assertEquals("hosts file " + latin1 + " is not UTF-8 text", e.getMessage());
        assertEquals("cannot read hosts file " + dir + ": is a directory",
                assertThrows(ResolveException.class, () -> HostsFile.read(dir, 22)).getMessage());
    }

    private Path write(String text) throws IOException {
        Path f = Files.createTempFile(dir, "hosts", ".txt");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }
}
