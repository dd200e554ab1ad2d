package dev.sluice.bench;

/** Dispatch-lag samples of one kind (ms); {@code early} counts deliveries seen before their eligibility instant. */
record Lags(String name, double[] millis, int early) {
    double p(double percentile) { return Stats.percentile(Stats.sorted(millis), percentile); }

    double max() { return Stats.max(millis); }

    static Lags of(String name, java.util.List<Double> values) {
        int early = (int) values.stream().filter(v -> v < 0).count();
        return new Lags(name, values.stream().mapToDouble(v -> Math.max(0, v)).toArray(), early);
    }

    static Lags merge(String name, java.util.List<Lags> parts) {
        return new Lags(name, parts.stream().flatMapToDouble(l -> java.util.Arrays.stream(l.millis())).toArray(),
                parts.stream().mapToInt(Lags::early).sum());
    }
}
