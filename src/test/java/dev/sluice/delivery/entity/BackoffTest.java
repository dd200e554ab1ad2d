package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BackoffTest {

    @ParameterizedTest
    @CsvSource({
            "1, 12182",
            "2, 148413",
            "3, 1808042",
            "4, 22026466"})
    void growsAsEToTheTwoPointFiveN(int retryNumber, long millis) {
        assertEquals(Duration.ofMillis(millis), Backoff.defaultDelay(retryNumber));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 10, 100, 1000, Integer.MAX_VALUE})
    void isCappedAtOneDay(int retryNumber) {
        assertEquals(Duration.ofDays(1), Backoff.defaultDelay(retryNumber));
    }

    @Test
    void neverDecreases() {
        for (int n = 1; n < 50; n++) {
            assertTrue(Backoff.defaultDelay(n).compareTo(Backoff.defaultDelay(n + 1)) <= 0, "n=" + n);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void retryNumbersStartAtOne(int retryNumber) {
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> Backoff.defaultDelay(retryNumber));
        assertEquals("retry number starts at 1, got " + retryNumber, failure.getMessage());
    }
}
