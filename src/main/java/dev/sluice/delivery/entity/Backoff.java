package dev.sluice.delivery.entity;

import java.time.Duration;

/**
 * QStash's default retry backoff: {@code min(86400, e^(2.5 * n))} seconds before retry number {@code n}
 * (1 for the first retry: ~12.18 s, then ~148 s, ~30 min, ~6 h, then one day each), to the millisecond.
 */
public final class Backoff {

    public static final Duration MAX_DELAY = Duration.ofDays(1);
    private static final double MAX_SECONDS = MAX_DELAY.toSeconds();

    private Backoff() {
    }

    /** @param retryNumber the retry about to happen, starting at 1 */
    public static Duration defaultDelay(int retryNumber) {
        if (retryNumber < 1) {
            throw new IllegalArgumentException("retry number starts at 1, got " + retryNumber);
        }
        double seconds = Math.min(MAX_SECONDS, Math.exp(2.5 * retryNumber));
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
