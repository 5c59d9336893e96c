package dev.delegator.knownhosts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPortTest {
    @ParameterizedTest(name = "{0} -> {1} port {2}, shown {3}, known_hosts {4}")
    @CsvSource(delimiter = '|', value = {
        "web1                | web1        | 22   | web1              | web1",
        "web1:2222           | web1        | 2222 | web1:2222         | [web1]:2222",
        "192.0.2.7:22        | 192.0.2.7   | 22   | 192.0.2.7         | 192.0.2.7",
        "[::1]:2222          | ::1         | 2222 | [::1]:2222        | [::1]:2222",
        "[::1]               | ::1         | 22   | [::1]             | ::1",
        "::1                 | ::1         | 22   | [::1]             | ::1",
        "fe80::1%eth0        | fe80::1%eth0| 22   | [fe80::1%eth0]    | fe80::1%eth0",
        "[2001:db8::5]:65535 | 2001:db8::5 | 65535| [2001:db8::5]:65535 | [2001:db8::5]:65535",
        "::ffff:192.0.2.1    | ::ffff:192.0.2.1 | 22 | [::ffff:192.0.2.1] | ::ffff:192.0.2.1",
    })
    void readsAndShowsOneWay(String text, String host, int port, String display, String pattern) {
        HostPort hp = HostPort.parse(text, 22);
        assertEquals(host, hp.host());
        assertEquals(port, hp.port());
        assertEquals(display, hp.display());
        assertEquals(pattern, hp.knownHostsPattern());
        assertEquals(hp, HostPort.parse(hp.display(), 22), "display() reads back as the same target");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "web1:         | 'web1:' has no valid port after ':' (want 1-65535)",
        "web1:0        | port 0 is outside 1-65535",
        "web1:65536    | port 65536 is outside 1-65535",
        "web1:22x      | 'web1:22x' has no valid port after ':' (want 1-65535)",
        "[::1         | '[::1' has '[' without ']': write [address]:port",
        "[::1]x        | '[::1]x' is not 'host', 'host:port' or '[address]:port'",
        "a:b:c         | 'a:b:c' has no valid port after ':' (want 1-65535)",
        "'[a:b:c]:22'  | 'a:b:c' is not a host name or address",
        "user@web1     | 'user@web1' is not a host name or address (character '@' at 5)",
        "''            | empty host name",
    })
    void refusesWithOneReason(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text, 22));
        assertEquals(reason, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"web1,2200,web1:2200", "::1,2200,[::1]:2200"})
    void aHostWithoutPortTakesTheDefault(String text, int defaultPort, String display) {
        assertEquals(display, HostPort.parse(text, defaultPort).display());
    }
}
