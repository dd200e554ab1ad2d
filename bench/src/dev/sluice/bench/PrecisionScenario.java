package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Scenario 3: 100 keys with mixed rate/period/parallelism, each with a backlog larger than its limits allow during
 * the run, and a sink answering after a random 50–400 ms. The backlog is loaded while the keys are paused, and the
 * keys are resumed one after the other (an API call apart) once it is in: loading keeps both cores busy, and the
 * sink's arrival instants would then lag the send instants by up to the scheduler's latency (about 10 ms), more than
 * the tolerance below. For the same reason the harness collects its garbage before the resumes. Per key, measured
 * at the sink: the most starts in one rate window (windows anchored at the first start after the previous window
 * ended, as Sluice anchors them; 2 ms of tolerance for the send→arrival jitter), the most starts in any sliding
 * window of one period (fixed windows may legitimately show up to 2×rate there), the most deliveries in flight, and
 * utilization: delivered ÷ what the limits allowed while the backlog existed (rate: {@code rate} per whole period
 * since the key's first start; parallelism: {@code parallelism} × time ÷ the key's mean sink latency).
 */
final class PrecisionScenario {
    static final int KEYS = 100;
    static final long TOLERANCE_NANOS = 2_000_000;

    record KeyResult(String key, int rate, int periodSeconds, int parallelism, int loaded, int maxStartsPerWindow,
                     int maxStartsSliding, int maxInFlight, long delivered, double allowed, double utilization,
                     double earliestMillis) {
        boolean rateViolated() { return maxStartsPerWindow > rate; }
        boolean parallelismViolated() { return maxInFlight > parallelism; }
    }

    record Result(List<KeyResult> keys, long loaded, double seconds, String note, List<String> violations,
                  Lags jitter) {}

    private final Settings settings;
    private final Sink sink;
    private final SluiceApi api;
    private final long[] pids;
    private final String mode;

    private final java.nio.file.Path work;

    PrecisionScenario(Settings settings, Sink sink, SluiceApi api, long[] pids, String mode, java.nio.file.Path work) {
        this.work = work;
        this.settings = settings;
        this.sink = sink;
        this.api = api;
        this.pids = pids;
        this.mode = mode;
    }

    /** Keys 0–4 are bound by parallelism 1 (rate 20/s would allow more); keys 5–99 mostly by their rate. */
    static final int PARALLELISM_BOUND = 5;

    static int parallelism(int i) { return i < PARALLELISM_BOUND ? 1 : new int[] {1, 2, 3}[((i - 5) / 6) % 3]; }
    static int rate(int i) { return i < PARALLELISM_BOUND ? 20 : new int[] {1, 2}[(i - 5) % 2]; }
    static int period(int i) { return i < PARALLELISM_BOUND ? 1 : new int[] {2, 5, 10}[((i - 5) / 2) % 3]; }

    Result run() {
        String tag = "prec-" + mode;
        sink.latency(tag, 50, 400);
        Sink.Tag arrivals = sink.tag(tag);
        int seconds = settings.precisionSeconds();
        int[] per = new int[KEYS];
        double[] perSecond = new double[KEYS];
        for (int i = 0; i < KEYS; i++) {
            perSecond[i] = Math.min((double) rate(i) / period(i), parallelism(i) / 0.25);
            per[i] = (int) Math.ceil(perSecond[i] * (seconds + 15) * 1.2) + rate(i) + parallelism(i);
        }
        List<Integer> keyOf = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) for (int j = 0; j < per[i]; j++) keyOf.add(i);
        long total = keyOf.size();
        System.out.printf("precision [%s]: %d keys, %,d messages loaded while the keys are paused, sink latency "
                + "50–400 ms, %d s measured from their resume%n", mode, KEYS, total, seconds);
        LongFunction<SluiceApi.Draft> plan = seq -> {
            int i = keyOf.get((int) seq);
            return new SluiceApi.Draft(tag, key(i), "rate=" + rate(i) + ", period=" + period(i) + "s, parallelism="
                    + parallelism(i), seq);
        };
        LongAdder loaded = new LongAdder(), failed = new LongAdder();
        long end;
        Lags jitterDelays;
        try (Monitor m = new Monitor("precision " + mode, pids, api, loaded::sum, arrivals::count)) {
            for (int i = 0; i < KEYS; i++) api.flowControl(key(i), "pause");
            Producers.batchLoad(api, plan, total, 100, 2, System.nanoTime() + 120_000_000_000L, loaded, failed);
            // the harness's own garbage, collected now: a young collection of this JVM stops the sink for 10-20 ms
            // on 2 cores, and it would date the arrivals of that moment late by as much (the measurement then
            // allocates too little for another one)
            System.gc();
            try (JitterProbe jitter = new JitterProbe(sink)) {   // calibrates the measurement, not the loading
                long start = System.nanoTime();
                for (int i = 0; i < KEYS; i++) api.flowControl(key(i), "resume");
                end = start + seconds * 1_000_000_000L;
                ThroughputScenario.sleepUntil(end);
                end = Math.max(end, System.nanoTime());
                jitterDelays = jitter.delays();
            }
        } finally {
            System.out.println("  cancelling the backlog: " + api.cancelAll());   // also of paused keys, if it failed
        }
        String note = loaded.sum() < total ? "only " + loaded.sum() + " of " + total + " messages loaded" : "";
        List<KeyResult> results = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        List<List<Sink.Arrival>> byKey = LagScenario.byKey(arrivals);
        long origin = ArrivalsCsv.write(byKey, work.resolve("precision-arrivals.csv"));
        for (int i = 0; i < KEYS; i++) {
            String key = key(i);
            List<Sink.Arrival> starts = byKey.stream().filter(l -> l.get(0).key().equals(key)).findFirst()
                    .orElse(List.of());
            KeyResult r = analyse(i, key, starts, per[i], end, arrivals.maxInFlight.getOrDefault(key, 0));
            results.add(r);
            if (r.rateViolated() || r.parallelismViolated()) {
                violations.add(key + " (rate=" + r.rate() + "/" + r.periodSeconds() + "s, parallelism="
                        + r.parallelism() + "): starts at ms " + starts.stream().limit(12)
                        .map(a -> (a.retried() > 0 ? "retry " : "") + Stats.f((a.atNanos() - origin) / 1e6, 0)
                                + "+" + Stats.f((a.answeredNanos() - a.atNanos()) / 1e6, 0))
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        return new Result(results, loaded.sum(), seconds, note, violations, jitterDelays);
    }

    private String key(int i) { return "prec" + mode + i; }

    private static KeyResult analyse(int i, String key, List<Sink.Arrival> starts, int loaded, long end, int maxInFlight) {
        int rate = rate(i), periodSeconds = period(i), parallelism = parallelism(i);
        long period = periodSeconds * 1_000_000_000L;
        if (starts.isEmpty()) return new KeyResult(key, rate, periodSeconds, parallelism, loaded, 0, 0, maxInFlight, 0,
                Double.NaN, Double.NaN, 0);
        long[] t = starts.stream().mapToLong(Sink.Arrival::atNanos).toArray();
        int maxWindow = 0, count = 0;
        long windowStart = Long.MIN_VALUE / 2, earliest = 0;
        for (long at : t) {
            if (at >= windowStart + period - TOLERANCE_NANOS) {
                windowStart = at;
                count = 0;
            }
            maxWindow = Math.max(maxWindow, ++count);
            if (count > rate) {   // over the limit: how early, relative to the window's end; then count it as the next window
                earliest = Math.max(earliest, windowStart + period - at);
                windowStart = at;
                count = 1;
            }
        }
        int maxSliding = 0;
        for (int a = 0, b = 0; b < t.length; b++) {
            while (t[b] - t[a] >= period) a++;
            maxSliding = Math.max(maxSliding, b - a + 1);
        }
        // utilization over whole periods since the first start, while the backlog lasted
        long backlogEnd = starts.size() >= loaded ? t[t.length - 1] : end;
        long windows = (backlogEnd - t[0]) / period;
        long delivered = 0;
        for (long at : t) if (at < t[0] + windows * period) delivered++;
        double meanLatency = starts.stream().mapToLong(a -> a.answeredNanos() - a.atNanos()).average().orElse(1);
        double byRate = (double) rate * windows;
        double byParallelism = parallelism * (windows * period) / meanLatency + parallelism;
        double allowed = Math.min(byRate, byParallelism);
        double utilization = windows == 0 ? Double.NaN : delivered / allowed;
        return new KeyResult(key, rate, periodSeconds, parallelism, loaded, maxWindow, maxSliding, maxInFlight,
                delivered, allowed, utilization, earliest / 1e6);
    }
}
