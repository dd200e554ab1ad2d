package dev.sluice.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles and formatting of measured values. */
final class Stats {
    private Stats() {}

    /** Nearest-rank percentile of {@code sorted} (ascending); NaN when empty. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    static double max(double[] values) { return Arrays.stream(values).max().orElse(Double.NaN); }

    static String f(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "n/a";
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    static String mb(double bytes) { return Double.isNaN(bytes) ? "n/a" : f(bytes / 1048576.0, 0) + " MB"; }

    static String pct(double ratio) { return Double.isNaN(ratio) ? "n/a" : f(ratio * 100, 1) + " %"; }
}
