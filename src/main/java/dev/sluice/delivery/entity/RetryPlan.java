package dev.sluice.delivery.entity;

import dev.sluice.platform.entity.InvalidInput;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one message is retried: at most {@code maxRetries} retries after the first attempt (so {@code 1 + maxRetries}
 * attempts in all), each after the delay the endpoint asked for, else the message's {@code Upstash-Retry-Delay}
 * expression, else QStash's default backoff.
 *
 * @param maxRetries       the {@code Upstash-Retries} value, 0 or more
 * @param expressionOrNull the {@code Upstash-Retry-Delay} expression, {@code null} when the header was absent
 */
public record RetryPlan(int maxRetries, RetryDelayExpression expressionOrNull) {

    public RetryPlan {
        if (maxRetries < 0) {
            throw new InvalidInput("Upstash-Retries: must not be negative, got " + maxRetries);
        }
    }

    public Optional<RetryDelayExpression> expression() {
        return Optional.ofNullable(expressionOrNull);
    }

    /** @param retried retries already done (0 after the first attempt failed) */
    public boolean hasRetryLeft(int retried) {
        return retried < maxRetries;
    }

    /**
     * @param retried    retries already done (0 when the first retry is about to be scheduled)
     * @param retryAfter the delay the endpoint asked for, see {@link RetryAfter}; it wins when present
     */
    public Duration delayBeforeRetry(int retried, Optional<Duration> retryAfter) {
        Objects.requireNonNull(retryAfter, "retryAfter");
        return retryAfter.orElseGet(() -> expressionOrNull == null
                ? Backoff.defaultDelay(retried + 1)
                : expressionOrNull.delayFor(retried));
    }

    /**
     * Multiplies a delay by {@code timeScale} to the nanosecond, so tests can run real schedules fast:
     * 0.001 turns 12 s into 12 ms, 1.0 keeps real time.
     */
    public static Duration scaled(Duration delay, double timeScale) {
        if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("time scale must be a finite number of at least 0, got " + timeScale);
        }
        if (timeScale == 1.0) {
            return delay;
        }
        BigDecimal seconds = BigDecimal.valueOf(delay.getSeconds()).add(BigDecimal.valueOf(delay.getNano(), 9));
        BigDecimal nanos = seconds.multiply(BigDecimal.valueOf(timeScale)).movePointRight(9)
                .setScale(0, RoundingMode.HALF_UP);
        BigDecimal[] secondsAndNanos = nanos.divideAndRemainder(BigDecimal.valueOf(1_000_000_000L));
        return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
    }
}
