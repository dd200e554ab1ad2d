package dev.sluice.delivery.entity;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code Upstash-Retry-Delay} header: an arithmetic expression giving the delay in milliseconds before the next
 * retry, e.g. {@code 1000 * (1 + retried)} or {@code max(10, pow(2, retried))}. The variable {@code retried} is the
 * number of retries already done (0 when computing the first retry).
 * <p>
 * Supported: decimal numbers, {@code retried}, {@code + - * / %}, unary minus, parentheses and the functions
 * {@code pow(a, b) sqrt abs exp floor ceil round min(a, ...) max(a, ...)}. The text is parsed eagerly, so a broken
 * header is rejected with the request; it may be at most {@value #MAX_LENGTH} characters long.
 * <p>
 * Evaluation uses doubles. The result is rounded to whole milliseconds and clamped into [0, 1 day], so an overflow to
 * infinity means one day and anything negative means zero. A result that is not a number at all (division or modulo by
 * zero, {@code sqrt} of a negative number) has no sensible clamp; {@link #delayFor(int)} then falls back to QStash's
 * {@link Backoff#defaultDelay(int) default backoff} instead of failing a delivery that is already under way.
 */
public final class RetryDelayExpression {

    public static final int MAX_LENGTH = 1000;
    private static final double MAX_MILLIS = Backoff.MAX_DELAY.toMillis();

    private final String text;
    private final Arithmetic expression;

    private RetryDelayExpression(String text, Arithmetic expression) {
        this.text = text;
        this.expression = expression;
    }

    /** @throws dev.sluice.platform.entity.InvalidInput naming the problem and its 1-based position */
    public static RetryDelayExpression parse(String text) {
        String expression = text == null ? "" : text.strip();
        if (expression.isEmpty()) {
            throw RetryDelayParser.invalid("empty expression (e.g. 1000 * (1 + retried))");
        }
        if (expression.length() > MAX_LENGTH) {
            throw RetryDelayParser.invalid("expression too long (" + expression.length() + " characters, at most "
                    + MAX_LENGTH + ")");
        }
        return new RetryDelayExpression(expression, RetryDelayParser.parse(expression));
    }

    /** @param retried retries already done: 0 when computing the delay before the first retry */
    public Duration delayFor(int retried) {
        if (retried < 0) {
            throw new IllegalArgumentException("retried must not be negative, got " + retried);
        }
        double millis = expression.evaluate(retried);
        if (Double.isNaN(millis)) {
            return Backoff.defaultDelay(retried + 1);
        }
        return Duration.ofMillis(Math.round(Math.min(MAX_MILLIS, Math.max(0, millis))));
    }

    /** The expression as given, without surrounding whitespace; {@link #parse(String)} accepts it again. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RetryDelayExpression that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
