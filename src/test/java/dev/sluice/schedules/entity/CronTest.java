package dev.sluice.schedules.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.platform.entity.InvalidInput;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronTest {

    /** Wednesday, 2025-01-15 10:17:30 UTC */
    private static final Instant NOW = Instant.parse("2025-01-15T10:17:30Z");

    private static Instant next(String cron, Instant after) {
        return Cron.parse(cron).next(after);
    }

    @Test
    void everyMinuteFiresAtTheNextWholeMinute() {
        assertEquals(Instant.parse("2025-01-15T10:18:00Z"), next("* * * * *", NOW));
        assertEquals(Instant.parse("2025-01-15T10:19:00Z"), next("* * * * *", Instant.parse("2025-01-15T10:18:00Z")));
    }

    @Test
    void stepsRangesAndLists() {
        assertEquals(Instant.parse("2025-01-15T10:20:00Z"), next("*/5 * * * *", NOW));
        assertEquals(Instant.parse("2025-01-15T10:30:00Z"), next("0,30 * * * *", NOW));
        assertEquals(Instant.parse("2025-01-15T10:20:00Z"), next("10-20/10 * * * *", NOW));
        assertEquals(Instant.parse("2025-01-15T11:10:00Z"), next("10-15/10 * * * *", NOW));
        assertEquals(Instant.parse("2025-01-15T12:00:00Z"), next("0 12-14 * * *", NOW));
        assertEquals(Instant.parse("2025-01-16T09:00:00Z"), next("0 9 * * *", NOW));
        assertEquals(Instant.parse("2025-01-15T10:45:00Z"), next("45/5 10 * * *", NOW));
    }

    @Test
    void daysMonthsAndNames() {
        assertEquals(Instant.parse("2025-01-20T00:00:00Z"), next("0 0 * * MON", NOW));
        assertEquals(Instant.parse("2025-01-19T00:00:00Z"), next("0 0 * * 7", NOW), "7 is Sunday");
        assertEquals(Instant.parse("2025-01-19T00:00:00Z"), next("0 0 * * 0", NOW));
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), next("0 0 1 mar *", NOW));
        assertEquals(Instant.parse("2025-02-01T00:00:00Z"), next("0 0 1 * *", NOW));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", NOW), "leap day");
        // both day fields restricted: either matches (the 1st, or a Friday)
        assertEquals(Instant.parse("2025-01-17T00:00:00Z"), next("0 0 1 * FRI", NOW));
    }

    @Test
    void timeZonePrefix() {
        // 09:00 in New York (EST, UTC-5) is 14:00 UTC
        assertEquals(Instant.parse("2025-01-15T14:00:00Z"), next("CRON_TZ=America/New_York 0 9 * * *", NOW));
        // across the DST change: 09:00 EDT is 13:00 UTC
        assertEquals(Instant.parse("2025-03-10T13:00:00Z"),
                next("CRON_TZ=America/New_York 0 9 * * *", Instant.parse("2025-03-09T14:00:00Z")));
    }

    @Test
    void rejectsBadExpressions() {
        for (String bad : List.of("", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *",
                "* * * 13 *", "* * * * 8", "*/0 * * * *", "5-1 * * * *", "a * * * *", "1,,2 * * * *",
                "0 0 30 2 *", "CRON_TZ=Mars/Olympus 0 0 * * *")) {
            InvalidInput error = assertThrows(InvalidInput.class, () -> Cron.parse(bad), bad);
            assertEquals(true, error.getMessage().startsWith("Upstash-Cron"), error.getMessage());
        }
    }
}
