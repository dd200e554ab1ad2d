package dev.sluice.flowcontrol.entity;

import dev.sluice.platform.entity.InvalidInput;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeriodTest {

    @ParameterizedTest
    @CsvSource({"30,30", "1,1", "10s,10", "1m,60", "2h,7200", "1d,86400", "7d,604800", "604800,604800",
            "168h,604800", "05s,5"})
    void parsesSecondsAndUnits(String text, long seconds) {
        Period period = Period.parse(text);
        assertEquals(seconds, period.seconds());
        assertEquals(seconds * 1000, period.millis());
        assertEquals(Duration.ofSeconds(seconds), period.length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0d", "8d", "604801", "169h", "-1", "-1s", "1.5", "1.5s", "abc", "", " ",
            "1w", "10S", "s", "1ms", "+5", "99999999999999999999", "9223372036854775807d", "1 s"})
    void rejectsWithTheBadValueInTheMessage(String text) {
        InvalidInput invalid = assertThrows(InvalidInput.class, () -> Period.parse(text));
        assertTrue(invalid.getMessage().contains("\"" + text + "\""), invalid.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(InvalidInput.class, () -> Period.parse(null));
    }

    @Test
    void factoriesAndConstant() {
        assertEquals(Period.ofSeconds(1), Period.ONE_SECOND);
        assertEquals(60_000, Period.ofSeconds(60).millis());
        assertThrows(InvalidInput.class, () -> Period.ofSeconds(0));
        assertThrows(InvalidInput.class, () -> Period.ofSeconds(604_801));
        assertThrows(InvalidInput.class, () -> new Period(Duration.ofMillis(1500)));
        assertThrows(InvalidInput.class, () -> new Period(null));
    }
}
