package dev.delegator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRecordTest {
    /** Every character a request could carry that would break a one-line JSON log if written raw. */
    static final String HOSTILE = "a\u0000b\u001bc\bd\fe\tf\rg\nh\u2028i\u2029j\"k\\l/m\u00e9n";

    @Test
    void escapesEveryLineBreakingOrQuotingCharacter() {
        String json = new AuditRecord(Instant.parse("2026-11-25T18:00:00Z"), "blog", "web1", "dlg-blog", HOSTILE, "EXITED", 3, 12, 34)
                .toJson();
        assertEquals("{\"time\":\"2026-11-25T18:00:00Z\",\"delegation\":\"blog\",\"host\":\"web1\",\"user\":\"dlg-blog\","
                + "\"request\":\"a\\u0000b\\u001bc\\bd\\fe\\tf\\rg\\nh\\u2028i\\u2029j\\\"k\\\\l/m\u00e9n\","
                + "\"outcome\":\"EXITED\",\"exit\":3,\"duration_ms\":12,\"bytes_out\":34}", json);
        assertFalse(json.chars().anyMatch(c -> c < 0x20 || c == 0x2028 || c == 0x2029), json);
    }

    @Test
    void readsBackAsTheSameValues() {
        JsonObject o = JsonParser.parseString(new AuditRecord(Instant.parse("2026-11-25T18:00:00Z"), "-", "web1:2222", "dlg",
                HOSTILE, "TIMED_OUT", 124, 9_000_000_000L, 0).toJson()).getAsJsonObject();
        assertEquals(HOSTILE, o.get("request").getAsString());
        assertEquals("web1:2222", o.get("host").getAsString());
        assertEquals(124, o.get("exit").getAsInt());
        assertEquals(9_000_000_000L, o.get("duration_ms").getAsLong());
    }
}
