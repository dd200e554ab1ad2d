package dev.sluice.platform.boundary;

import dev.sluice.platform.entity.InvalidInput;
import java.util.Arrays;
import java.util.List;

/**
 * Query parameters as QStash's bulk and listing calls send them: a parameter may repeat ({@code label=a&label=b})
 * or carry comma-separated values ({@code label=a,b}); numbers are non-negative; dates are epoch milliseconds.
 */
public final class QueryValues {

    private QueryValues() {
    }

    public static List<String> all(List<String> values) {
        return values == null ? List.of() : values.stream().flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    public static long number(String name, String value, long fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.trim());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInput(name + ": expected a non-negative integer, got \"" + value + "\"");
    }

    /** Where a page starts: the {@code cursor} of the previous page, 0 without one. */
    public static int offset(String cursor) {
        return (int) Math.min(Integer.MAX_VALUE, number("cursor", cursor, 0));
    }

    /** How many entries a page holds: {@code count}, or the fallback, within 1..max. */
    public static int pageSize(String count, int fallback, int max) {
        return (int) Math.max(1, Math.min(max, number("count", count, fallback)));
    }

    /** Epoch milliseconds, or null when absent. */
    public static Long epochMillis(String name, String value) {
        return value == null || value.isBlank() ? null : number(name, value, 0);
    }
}
