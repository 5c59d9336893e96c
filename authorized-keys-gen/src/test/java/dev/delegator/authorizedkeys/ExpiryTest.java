package dev.delegator.authorizedkeys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryTest {
    @ParameterizedTest
    @CsvSource({
        "20270131,2027-01-31T00:00,false",
        "202701311230,2027-01-31T12:30,false",
        "20270131123059,2027-01-31T12:30:59,false",
        "20270131Z,2027-01-31T00:00,true",
        "20270131123059z,2027-01-31T12:30:59,true",
        "202701311230UTC,2027-01-31T12:30,true",
        "202701311230utc,2027-01-31T12:30,true",
        // strptime takes day 31 in any month and mktime normalizes it
        "20270231Z,2027-03-03T00:00,true",
    })
    void readsWhatSshdReads(String text, String local, boolean utc) {
        ExpiryTime t = ExpiryTime.parse(text).orElseThrow();
        assertEquals(LocalDateTime.parse(local), t.local());
        assertEquals(utc, t.utc());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2027", "2027013", "202701311", "2027013112305", "20271301", "20270100", "20270132",
        "202701312400", "202701311260", "2027-01-31", "19691231Z", "19700101000000Z", "Z", "UTC", "20270131 ", "x0270131"})
    void refusesWhatSshdRefuses(String text) {
        assertEquals(Optional.empty(), ExpiryTime.parse(text));
    }

    @Test
    void localValuesDependOnTheServerZone() {
        ExpiryTime t = ExpiryTime.parse("20270131").orElseThrow();
        assertEquals(Instant.parse("2027-01-30T23:00:00Z"), t.instant(ZoneId.of("Europe/Berlin")));
        assertEquals(Instant.parse("2027-01-31T00:00:00Z"), ExpiryTime.parse("20270131Z").orElseThrow().instant(ZoneId.of("Europe/Berlin")));
    }

    @Test
    void writesTheZFormInUtc() {
        assertEquals("20270131123059Z", ExpiryTime.of(Instant.parse("2027-01-31T12:30:59.999Z")).text());
        assertThrows(UnsafeLineException.class, () -> ExpiryTime.of(Instant.EPOCH));
        assertThrows(UnsafeLineException.class, () -> ExpiryTime.of(Instant.MAX));
        assertThrows(UnsafeLineException.class, () -> ExpiryTime.of(Instant.parse("+10000-01-01T00:00:00Z")));
    }

    @Test
    void commandLineFormsOfAnExpiry() {
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        assertEquals(Instant.parse("2026-12-25T12:00:00Z"), ExpirySpec.parse("30d", now));
        assertEquals(Instant.parse("2026-11-26T00:00:00Z"), ExpirySpec.parse("12h", now));
        assertEquals(Instant.parse("2026-11-25T13:30:00Z"), ExpirySpec.parse("90m", now));
        assertEquals(Instant.parse("2026-12-09T12:00:00Z"), ExpirySpec.parse("2w", now));
        assertEquals(Instant.parse("2027-01-31T00:00:00Z"), ExpirySpec.parse("2027-01-31", now));
        assertEquals(Instant.parse("2027-01-31T12:00:00Z"), ExpirySpec.parse("2027-01-31T12:00", now));
        assertEquals(Instant.parse("2027-01-31T10:00:00Z"), ExpirySpec.parse("2027-01-31T12:00+02:00", now));
        assertEquals(Instant.parse("2027-01-31T12:00:00Z"), ExpirySpec.parse("2027-01-31T12:00:00Z", now));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExpirySpec.parse("0d", now));
        assertTrue(e.getMessage().startsWith("expiry \"0d\" is neither"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExpirySpec.parse("tomorrow", now));
    }
}
