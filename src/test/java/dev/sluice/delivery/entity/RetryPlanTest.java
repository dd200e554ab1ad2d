package dev.sluice.delivery.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.platform.entity.InvalidInput;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPlanTest {

    static final RetryDelayExpression LINEAR = RetryDelayExpression.parse("1000 * (1 + retried)");

    @Test
    void threeRetriesMeanFourAttempts() {
        RetryPlan plan = new RetryPlan(3, null);
        int attempts = 1;
        for (int retried = 0; plan.hasRetryLeft(retried); retried++) {
            attempts++;
        }
        assertEquals(4, attempts);
        assertTrue(plan.hasRetryLeft(0));
        assertTrue(plan.hasRetryLeft(2));
        assertFalse(plan.hasRetryLeft(3));
        assertFalse(plan.hasRetryLeft(4));
    }

    @Test
    void zeroRetriesMeanOneAttempt() {
        assertFalse(new RetryPlan(0, null).hasRetryLeft(0));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE})
    void negativeRetriesAreInvalidInput(int maxRetries) {
        InvalidInput failure = assertThrows(InvalidInput.class, () -> new RetryPlan(maxRetries, null));
        assertEquals("Upstash-Retries: must not be negative, got " + maxRetries, failure.getMessage());
    }

    @Test
    void retryAfterWinsOverExpression() {
        RetryPlan plan = new RetryPlan(3, LINEAR);
        assertEquals(Duration.ofSeconds(42), plan.delayBeforeRetry(0, Optional.of(Duration.ofSeconds(42))));
        assertEquals(Duration.ZERO, plan.delayBeforeRetry(2, Optional.of(Duration.ZERO)));
    }

    @Test
    void retryAfterWinsOverDefaultBackoff() {
        RetryPlan plan = new RetryPlan(3, null);
        assertEquals(Duration.ofSeconds(42), plan.delayBeforeRetry(0, Optional.of(Duration.ofSeconds(42))));
    }

    @ParameterizedTest
    @CsvSource({"0, 1000", "1, 2000", "2, 3000"})
    void expressionWinsOverDefaultBackoff(int retried, long millis) {
        RetryPlan plan = new RetryPlan(3, LINEAR);
        assertEquals(Duration.ofMillis(millis), plan.delayBeforeRetry(retried, Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({"0, 12182", "1, 148413", "2, 1808042", "3, 22026466", "4, 86400000", "20, 86400000"})
    void defaultBackoffCountsTheRetryAboutToHappen(int retried, long millis) {
        RetryPlan plan = new RetryPlan(30, null);
        assertEquals(Duration.ofMillis(millis), plan.delayBeforeRetry(retried, Optional.empty()));
        assertEquals(Backoff.defaultDelay(retried + 1), plan.delayBeforeRetry(retried, Optional.empty()));
    }

    @Test
    void expressionAccessors() {
        assertEquals(Optional.of(LINEAR), new RetryPlan(1, LINEAR).expression());
        assertSame(LINEAR, new RetryPlan(1, LINEAR).expressionOrNull());
        assertEquals(Optional.empty(), new RetryPlan(1, null).expression());
    }

    @Test
    void equalityIsByValue() {
        assertEquals(new RetryPlan(3, RetryDelayExpression.parse("1000")),
                new RetryPlan(3, RetryDelayExpression.parse(" 1000 ")));
        assertEquals(new RetryPlan(3, null), new RetryPlan(3, null));
    }

    @Test
    void missingRetryAfterMustBeEmptyNotNull() {
        RetryPlan plan = new RetryPlan(3, null);
        assertThrows(NullPointerException.class, () -> plan.delayBeforeRetry(0, null));
    }

    @ParameterizedTest
    @CsvSource({
            "PT12S, 0.001, PT0.012S",
            "PT12.182S, 0.001, PT0.012182S",
            "PT24H, 0.001, PT1M26.4S",
            "PT1S, 0.5, PT0.5S",
            "PT1S, 2.0, PT2S",
            "PT0S, 0.001, PT0S",
            "PT1S, 0.0, PT0S",
            "PT0.000000001S, 0.4, PT0S",
            "PT0.000000001S, 0.5, PT0.000000001S"})
    void scaledMultipliesToTheNanosecond(Duration delay, double timeScale, Duration expected) {
        assertEquals(expected, RetryPlan.scaled(delay, timeScale));
    }

    @Test
    void realTimeKeepsTheDelay() {
        Duration delay = Duration.ofMillis(12_182);
        assertSame(delay, RetryPlan.scaled(delay, 1.0));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), RetryPlan.scaled(Duration.ofSeconds(Long.MAX_VALUE), 1.0));
    }

    @Test
    void scalesTheDefaultSchedule() {
        RetryPlan plan = new RetryPlan(3, null);
        assertEquals(Duration.ofNanos(12_182_000),
                RetryPlan.scaled(plan.delayBeforeRetry(0, Optional.empty()), 0.001));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.001, -1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void timeScaleMustBeFiniteAndNotNegative(double timeScale) {
        assertThrows(IllegalArgumentException.class, () -> RetryPlan.scaled(Duration.ofSeconds(1), timeScale));
    }
}
