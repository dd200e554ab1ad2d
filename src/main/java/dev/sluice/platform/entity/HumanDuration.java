package dev.sluice.platform.entity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * A duration as QStash headers carry it ({@code Upstash-Delay}, {@code Upstash-Timeout}, ...):
 * <ul>
 * <li>a bare non-negative number means seconds: {@code 30}, {@code 1.5};</li>
 * <li>a number with a unit {@code ms}, {@code s}, {@code m}, {@code h} or {@code d}: {@code 500ms}, {@code 1.5s}, {@code 2h};</li>
 * <li>several of these, each unit at most once and in decreasing order: {@code 1d10h30m}, {@code 1h30m5s}.</li>
 * </ul>
 * Surrounding whitespace is ignored; units are lower case. Precision is kept down to nanoseconds (finer digits are
 * truncated). Anything longer than {@link #MAX_MILLIS} (half of {@link Long#MAX_VALUE} milliseconds, ~146 million years)
 * is rejected as overflow, so that {@code nowEpochMillis + duration.toMillis()} and {@code Instant.now().plus(duration)}
 * cannot overflow downstream.
 */
public final class HumanDuration {

    static final int MAX_LENGTH = 64;
    static final String EXAMPLES = "use e.g. 30s, 5m, 1h30m";
    private static final BigDecimal NANOS_PER_SECOND = BigDecimal.valueOf(1_000_000_000L);
    public static final long MAX_MILLIS = Long.MAX_VALUE / 2;
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(MAX_MILLIS).multiply(BigDecimal.valueOf(1_000_000L));

    private HumanDuration() {
    }

    public static Duration parse(String text, String headerName) {
        return new Reading(text == null ? "" : text.strip(), headerName).duration();
    }

    /** Units from the largest down; a component's unit must come after the previous one in this order. */
    private enum Unit {
        DAYS("d", 86_400_000_000_000L),
        HOURS("h", 3_600_000_000_000L),
        MINUTES("m", 60_000_000_000L),
        SECONDS("s", 1_000_000_000L),
        MILLIS("ms", 1_000_000L);

        final String symbol;
        final BigDecimal nanos;

        Unit(String symbol, long nanos) {
            this.symbol = symbol;
            this.nanos = BigDecimal.valueOf(nanos);
        }

        static Unit of(String symbol) {
            for (Unit unit : values()) {
                if (unit.symbol.equals(symbol)) {
                    return unit;
                }
            }
            return null;
        }
    }

    /** One pass over the text; every failure names the header and the offending value. */
    private static final class Reading {

        private final String text;
        private final String headerName;
        private int position;

        Reading(String text, String headerName) {
            this.text = text;
            this.headerName = headerName;
        }

        Duration duration() {
            if (text.isEmpty()) {
                throw invalid("empty; " + EXAMPLES);
            }
            if (text.length() > MAX_LENGTH) {
                throw invalid("too long; " + EXAMPLES);
            }
            if (text.startsWith("-")) {
                throw invalid("must not be negative");
            }
            BigDecimal first = number();
            if (position == text.length()) {
                return toDuration(first.multiply(NANOS_PER_SECOND));
            }
            return toDuration(components(first));
        }

        private BigDecimal components(BigDecimal firstNumber) {
            BigDecimal nanos = BigDecimal.ZERO;
            Unit previous = null;
            BigDecimal number = firstNumber;
            while (true) {
                Unit unit = unit(number);
                if (previous != null && unit.ordinal() <= previous.ordinal()) {
                    throw invalid("units must appear once each, from largest to smallest, e.g. 1d10h30m");
                }
                nanos = nanos.add(number.multiply(unit.nanos));
                previous = unit;
                if (position == text.length()) {
                    return nanos;
                }
                number = number();
            }
        }

        private BigDecimal number() {
            int start = position;
            skipDigits();
            if (position == start) {
                throw invalid(EXAMPLES);
            }
            if (position < text.length() && text.charAt(position) == '.') {
                position++;
                int fractionStart = position;
                skipDigits();
                if (position == fractionStart) {
                    throw invalid(EXAMPLES);
                }
            }
            return new BigDecimal(text.substring(start, position));
        }

        private Unit unit(BigDecimal number) {
            int start = position;
            while (position < text.length() && Character.isLetter(text.charAt(position))) {
                position++;
            }
            String symbol = text.substring(start, position);
            if (symbol.isEmpty() && position < text.length()) {
                throw invalid(EXAMPLES);
            }
            if (symbol.isEmpty()) {
                throw invalid("missing unit after " + number.toPlainString() + "; " + EXAMPLES);
            }
            Unit unit = Unit.of(symbol);
            if (unit == null) {
                throw invalid("unknown unit \"" + symbol + "\"; use ms, s, m, h or d");
            }
            return unit;
        }

        private void skipDigits() {
            while (position < text.length() && isAsciiDigit(text.charAt(position))) {
                position++;
            }
        }

        private Duration toDuration(BigDecimal nanos) {
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw invalid("too large");
            }
            BigInteger[] secondsAndNanos = nanos.setScale(0, RoundingMode.DOWN).toBigInteger()
                    .divideAndRemainder(BigInteger.valueOf(1_000_000_000L));
            return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
        }

        private InvalidInput invalid(String reason) {
            return new InvalidInput(headerName + ": invalid duration \"" + shortened(text) + "\" (" + reason + ")");
        }
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Keeps error messages readable when a client sends a huge header. */
    private static String shortened(String text) {
        return text.length() <= MAX_LENGTH ? text : text.substring(0, MAX_LENGTH) + "...";
    }
}
