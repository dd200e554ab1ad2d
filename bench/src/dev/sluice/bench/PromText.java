package dev.sluice.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Prometheus text exposition parsed into "name{labels}" → value (the mp_scope label dropped). */
final class PromText {
    private final Map<String, Double> values = new LinkedHashMap<>();

    PromText(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int space = line.lastIndexOf(' ');
            if (space < 0) continue;
            String name = line.substring(0, space).replaceAll("mp_scope=\"[^\"]*\",?", "").replace(",}", "}")
                    .replace("{}", "");
            try {
                values.put(name, Double.parseDouble(line.substring(space + 1).trim()));
            } catch (NumberFormatException ignored) {
                // not a sample
            }
        }
    }

    static PromText empty() { return new PromText(""); }

    /** The value of a sample, NaN when absent. */
    double get(String name) { return values.getOrDefault(name, Double.NaN); }

    boolean has(String prefix) { return values.keySet().stream().anyMatch(k -> k.startsWith(prefix)); }

    /**
     * A summary's quantile in the summary's unit. Payara 6 exports a timer's quantiles in nanoseconds while its
     * {@code _max}, {@code _mean} and {@code _sum} are in seconds, so a quantile above the maximum is nanoseconds.
     */
    double quantile(String name, String q) {
        double value = get(name + "{quantile=\"" + q + "\"}");
        double max = get(name + "_max");
        return !Double.isNaN(max) && value > max ? value / 1e9 : value;
    }
}
