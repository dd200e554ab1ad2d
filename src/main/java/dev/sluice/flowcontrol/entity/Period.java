package dev.sluice.flowcontrol.entity;

import dev.sluice.platform.entity.InvalidInput;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The length of a flow-control rate window: a whole number of seconds, more than zero and at most 7 days.
 */
public record Period(Duration length) {

    public static final Duration LONGEST = Duration.ofDays(7);
    public static final Period ONE_SECOND = new Period(Duration.ofSeconds(1));

    private static final Pattern TEXT = Pattern.compile("(\\d+)([smhd]?)");

    public Period {
        if (length == null || length.isNegative() || length.isZero()) {
            throw new InvalidInput("period must be positive, got " + length);
        }
        if (length.compareTo(LONGEST) > 0) {
            throw new InvalidInput("period must be at most 7 days, got " + length.toSeconds() + "s");
        }
        if (length.getNano() != 0) {
            throw new InvalidInput("period must be a whole number of seconds, got " + length);
        }
    }

    /**
     * Accepts a bare number of seconds ({@code "30"}) or a number followed by a unit {@code s}, {@code m}, {@code h}
     * or {@code d} ({@code "10s"}, {@code "1m"}, {@code "2h"}, {@code "1d"}).
     */
    public static Period parse(String text) {
        Matcher matcher = TEXT.matcher(text == null ? "" : text);
        if (!matcher.matches()) {
            throw invalid(text);
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            long seconds = Math.multiplyExact(amount, unitSeconds(matcher.group(2)));
            if (seconds <= 0 || seconds > LONGEST.toSeconds()) {
                throw invalid(text);
            }
            return ofSeconds(seconds);
        } catch (NumberFormatException | ArithmeticException overflow) {
            throw invalid(text);
        }
    }

    public static Period ofSeconds(long seconds) {
        return new Period(Duration.ofSeconds(seconds));
    }

    public long seconds() {
        return length.toSeconds();
    }

    public long millis() {
        return length.toMillis();
    }

    private static long unitSeconds(String unit) {
        return switch (unit) {
            case "m" -> 60;
            case "h" -> 3_600;
            case "d" -> 86_400;
            default -> 1;
        };
    }

    private static InvalidInput invalid(String text) {
        return new InvalidInput("period must be a positive number of seconds, or a positive integer followed by "
                + "s, m, h or d, at most 7 days, got \"" + text + "\"");
    }
}
