package dev.delegator.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationsTest {
    @Test
    void forms() {
        Durations d = new Durations();
        assertEquals(Duration.ofSeconds(90), d.convert("90"));
        assertEquals(Duration.ofMillis(500), d.convert("500ms"));
        assertEquals(Duration.ofMinutes(5), d.convert("5m"));
        assertEquals(Duration.ofHours(2), d.convert("2h"));
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> d.convert("5 minutes"));
        assertEquals("'5 minutes' is not a duration (e.g. 90, 30s, 5m, 2h, 500ms)", e.getMessage());
        e = assertThrows(CommandLine.TypeConversionException.class, () -> d.convert("0s"));
        assertEquals("'0s' must be longer than zero", e.getMessage());
    }
}
