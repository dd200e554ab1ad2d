package dev.sluice.flowcontrol.entity;

import dev.sluice.platform.entity.InvalidInput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flow-control configuration a message was published with ({@code Upstash-Flow-Control-Value}).
 *
 * @param parallelism at most this many deliveries of the key in flight; {@code null} = no limit
 * @param rate        at most this many deliveries of the key start per {@code period}; {@code null} = no limit
 * @param period      the rate window; 1 s when absent, and always 1 s without a rate (so configurations that differ
 *                    only in an unused period are equal)
 */
public record FlowConfig(Integer parallelism, Integer rate, Period period) {

    public static final String HEADER = "Upstash-Flow-Control-Value";
    static final String SHAPE = HEADER + " should be either rate=X or parallelism=Y, or both as comma-separated values";

    private static final FlowConfig UNLIMITED = new FlowConfig(null, null, null);

    public FlowConfig {
        requirePositive("parallelism", parallelism);
        requirePositive("rate", rate);
        if (period == null || rate == null) {
            period = Period.ONE_SECOND;
        }
    }

    public static FlowConfig unlimited() {
        return UNLIMITED;
    }

    /**
     * Parses {@code parallelism=5, rate=10, period=1m}: comma-separated fields in any order, names case-insensitive,
     * whitespace around names, values and commas ignored; at least one of parallelism and rate.
     */
    public static FlowConfig parse(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            throw new InvalidInput(SHAPE);
        }
        Map<String, String> fields = fields(headerValue);
        if (!fields.containsKey("parallelism") && !fields.containsKey("rate")) {
            throw new InvalidInput(SHAPE);
        }
        return new FlowConfig(positive("parallelism", fields.get("parallelism")),
                positive("rate", fields.get("rate")),
                period(fields.get("period")));
    }

    /** Canonical header form, e.g. {@code parallelism=5, rate=10, period=60s}; unset parts are left out. */
    public String toHeaderValue() {
        List<String> parts = new ArrayList<>();
        if (parallelism != null) {
            parts.add("parallelism=" + parallelism);
        }
        if (rate != null) {
            parts.add("rate=" + rate);
            parts.add("period=" + period.seconds() + "s");
        }
        return String.join(", ", parts);
    }

    public boolean limitsParallelism() {
        return parallelism != null;
    }

    public boolean limitsRate() {
        return rate != null;
    }

    /** This configuration without its parallelism: only the rate dimension. */
    public FlowConfig rateOnly() {
        return parallelism == null ? this : new FlowConfig(null, rate, period);
    }

    /** Whether this configuration lets more deliveries start per unit of time (no rate limit is fastest). */
    public boolean allowsFasterRateThan(FlowConfig other) {
        return compareRate(other) > 0;
    }

    /**
     * Orders by rate per time ({@code rate / period}); no rate limit is the fastest. Equal rates per time (10 per
     * second and 600 per minute) are ordered by period, the shorter one counting as faster: it spreads the starts
     * more evenly. Zero only for the same rate and period.
     */
    public int compareRate(FlowConfig other) {
        if (rate == null || other.rate == null) {
            return Boolean.compare(rate == null, other.rate == null);
        }
        // rate <= 2^31 and period <= 7 days in millis (< 2^30): the products fit in a long
        int byRatePerTime = Long.compare((long) rate * other.period.millis(), (long) other.rate * period.millis());
        return byRatePerTime != 0 ? byRatePerTime : Long.compare(other.period.millis(), period.millis());
    }

    private static Map<String, String> fields(String headerValue) {
        Map<String, String> fields = new HashMap<>();
        for (String part : headerValue.split(",", -1)) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                throw new InvalidInput(HEADER + ": empty part in \"" + headerValue + "\"");
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw new InvalidInput(HEADER + ": expected name=value, got \"" + trimmed + "\"");
            }
            String name = trimmed.substring(0, equals).strip();
            String field = name.toLowerCase(Locale.ROOT);
            if (!List.of("parallelism", "rate", "period").contains(field)) {
                throw new InvalidInput(HEADER + ": unknown field \"" + name + "\"");
            }
            if (fields.put(field, trimmed.substring(equals + 1).strip()) != null) {
                throw new InvalidInput(HEADER + ": duplicate field \"" + name + "\"");
            }
        }
        return fields;
    }

    private static Integer positive(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                int value = Integer.parseInt(text);
                if (value > 0) {
                    return value;
                }
            }
        } catch (NumberFormatException overflow) {
            // reported below like any other bad number
        }
        throw new InvalidInput(HEADER + ": " + field + " must be a positive integer, got \"" + text + "\"");
    }

    private static Period period(String text) {
        if (text == null) {
            return Period.ONE_SECOND;
        }
        try {
            return Period.parse(text);
        } catch (InvalidInput invalid) {
            throw new InvalidInput(HEADER + ": " + invalid.getMessage());
        }
    }

    private static void requirePositive(String field, Integer value) {
        if (value != null && value <= 0) {
            throw new InvalidInput(field + " must be a positive integer, got " + value);
        }
    }
}
