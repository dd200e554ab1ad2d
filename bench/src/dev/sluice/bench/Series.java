package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;

/** A named line of (x, y) points for a plot. */
final class Series {
    final String name;
    final List<double[]> points = new ArrayList<>();

    Series(String name) { this.name = name; }

    synchronized Series add(double x, double y) {
        points.add(new double[] {x, y});
        return this;
    }

    synchronized List<double[]> points() { return new ArrayList<>(points); }

    /** Per-second counts of the given instants (ns), x = seconds since {@code originNanos}. */
    static Series rate(String name, long originNanos, long[] instants, double untilSeconds) {
        int buckets = Math.max(1, (int) Math.ceil(untilSeconds));
        long[] counts = new long[buckets];
        for (long t : instants) {
            double s = (t - originNanos) / 1e9;
            if (s >= 0 && s < buckets) counts[(int) s]++;
        }
        Series series = new Series(name);
        for (int i = 0; i < buckets; i++) series.add(i + 0.5, counts[i]);
        return series;
    }
}
