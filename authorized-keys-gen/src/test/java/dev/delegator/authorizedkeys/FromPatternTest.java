package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** inet_aton's legacy IPv4 forms, which sshd accepts in from= (SshdDifferentialTest checks it live). */
class FromPatternTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "127.1, 127.0.0.1",
        "127.0.1, 127.0.0.1",
        "010.0.0.1, 8.0.0.1",
        "127.000.000.001, 127.0.0.1",
        "0x7f.1, 127.0.0.1",
        "0X7F.0X1, 127.0.0.1",
        "2130706433, 127.0.0.1",
        "0, 0.0.0.0",
        "1.16777215, 1.255.255.255",
        "1.2.65535, 1.2.255.255",
        "4294967295, 255.255.255.255",
        "127.0.0.1, none",
        "10.0.0.0, none",
        "1.16777216, none",
        "256.1, none",
        "4294967296, none",
        "08.1, none",
        "0x.1, none",
        "1..1, none",
        "1.2.3.4.5, none",
        "deadbeef.example, none",
        "127.0.0.*, none",
        "::1, none",
    })
    void legacySpellingsAreReadAsInetAtonReadsThem(String text, String canonical) {
        assertEquals(Optional.ofNullable(canonical), FromPattern.legacyIpv4(text));
    }
}
