package dev.sluice.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Scenario 2: dispatch lag, from the instant a message becomes eligible to the sink seeing it.
 * <ul>
 * <li>under its limits (no key, or a key with room): eligible when the publish response reached the producer;</li>
 * <li>waitlisted, parallelism 1: eligible when the sink answered the key's previous delivery; the keys' messages are
 * all stored before the first may go ({@code Upstash-Not-Before}), so the chains do not overlap their loading;</li>
 * <li>waitlisted, rate-limited: eligible at the window boundary, one period after the first start of the previous
 * window (windows anchored at sends, see docs/flow-control.md; the sink's arrival instants stand in for sends).</li>
 * </ul>
 */
final class LagScenario {
    private static final int RELEASE_AFTER_SECONDS = 3;
    record Result(List<Lags> lags, PromText metrics, String note) {}

    private final Settings settings;
    private final Sink sink;
    private final SluiceApi api;
    private final long[] pids;
    private final String mode;
    private final Path work;

    LagScenario(Settings settings, Sink sink, SluiceApi api, long[] pids, String mode, Path work) {
        this.settings = settings;
        this.sink = sink;
        this.api = api;
        this.pids = pids;
        this.mode = mode;
        this.work = work;
    }

    Result run() {
        List<Lags> lags = new ArrayList<>();
        lags.add(underLimits());
        lags.add(parallelismOne());
        lags.add(rateWindows());
        return new Result(lags, api.metrics("application"), "");
    }

    private Lags underLimits() {
        String tag = "lag-free-" + mode;
        double perSecond = 20;
        System.out.printf("lag [%s] under limits: %.0f publishes/s for %d s (half without a key, half on 10 keys "
                + "with room)%n", mode, perSecond, settings.lagSeconds());
        Producers producers = new Producers(api, 4, true);
        LongFunction<SluiceApi.Draft> plan = seq -> seq % 2 == 0 ? new SluiceApi.Draft(tag, null, null, seq)
                : new SluiceApi.Draft(tag, "lagfree" + mode + (seq % 10), "parallelism=50, rate=1000, period=1s", seq);
        Sink.Tag arrivals = sink.tag(tag);
        try (Monitor m = new Monitor("lag " + mode + " free", pids, api, producers.accepted::sum, arrivals::count)) {
            producers.run(plan, Long.MAX_VALUE, System.nanoTime() + settings.lagSeconds() * 1_000_000_000L, perSecond);
            waitFor(arrivals, producers.accepted.sum(), 15);
        }
        Map<Long, Long> firstArrival = new HashMap<>();
        for (Sink.Arrival a : arrivals.arrivals()) if (a.retried() == 0) firstArrival.merge(a.seq(), a.atNanos(), Math::min);
        List<Double> values = new ArrayList<>();
        producers.ackNanos.forEach((seq, ack) -> {
            Long at = firstArrival.get(seq);
            if (at != null) values.add((at - ack) / 1e6);
        });
        return Lags.of("under limits (from publish response)", values);
    }

    private Lags parallelismOne() {
        String tag = "lag-par-" + mode;
        int keys = settings.lagParallelKeys(), per = settings.lagParallelMessages();
        sink.latency(tag, 20, 20);
        // the chains start together once every message is stored: a chain measures dispatch, not the loading
        // burst it would otherwise overlap (about 5,000 publishes/s for its first 100-250 ms)
        long release = System.currentTimeMillis() / 1000 + RELEASE_AFTER_SECONDS;
        System.out.printf("lag [%s] parallelism=1: %d keys x %d messages, not before %d s from now, sink answers after "
                + "20 ms%n", mode, keys, per, release - System.currentTimeMillis() / 1000);
        Sink.Tag arrivals = sink.tag(tag);
        LongAdder loaded = new LongAdder(), failed = new LongAdder();
        LongFunction<SluiceApi.Draft> plan = seq -> new SluiceApi.Draft(tag, "lagpar" + mode + (seq / per),
                "parallelism=1", seq, release);
        try (Monitor m = new Monitor("lag " + mode + " parallelism", pids, api, loaded::sum, arrivals::count)) {
            Producers.batchLoad(api, plan, (long) keys * per, per, 4, System.nanoTime() + 60_000_000_000L, loaded, failed);
            long lateMillis = System.currentTimeMillis() - release * 1000;
            if (lateMillis > 0) {
                System.out.printf("  !! loading ended %d ms after the release: the first chains overlapped it%n",
                        lateMillis);
            }
            waitFor(arrivals, loaded.sum(), Math.max(30, settings.lagSeconds() * 3) + RELEASE_AFTER_SECONDS);
        }
        List<List<Sink.Arrival>> byKey = byKey(arrivals);
        ArrivalsCsv.write(byKey, work.resolve("lag-parallelism-arrivals.csv"));
        List<Double> values = new ArrayList<>();
        for (List<Sink.Arrival> key : byKey) {
            for (int i = 1; i < key.size(); i++) values.add((key.get(i).atNanos() - key.get(i - 1).answeredNanos()) / 1e6);
        }
        return Lags.of("parallelism=1 waitlist (from previous answer)", values);
    }

    private Lags rateWindows() {
        String tag = "lag-rate-" + mode;
        int keys = settings.lagRateKeys(), rate = 5, windows = settings.lagRateWindows();
        long period = 1_000_000_000L;
        System.out.printf("lag [%s] rate=5/s: %d keys x %d messages (%d windows each)%n", mode, keys, rate * windows,
                windows);
        Sink.Tag arrivals = sink.tag(tag);
        LongAdder loaded = new LongAdder(), failed = new LongAdder();
        int per = rate * windows;
        LongFunction<SluiceApi.Draft> plan = seq -> new SluiceApi.Draft(tag, "lagrate" + mode + (seq / per),
                "rate=5, period=1s", seq);
        try (Monitor m = new Monitor("lag " + mode + " rate", pids, api, loaded::sum, arrivals::count)) {
            Producers.batchLoad(api, plan, (long) keys * per, per, 4, System.nanoTime() + 60_000_000_000L, loaded, failed);
            waitFor(arrivals, loaded.sum(), windows + 20);
        }
        List<Double> values = new ArrayList<>();
        for (List<Sink.Arrival> key : byKey(arrivals)) {
            long windowStart = key.get(0).atNanos();
            int count = 1;
            for (int i = 1; i < key.size(); i++) {
                long at = key.get(i).atNanos();
                if (count == rate || at >= windowStart + period) {
                    if (count == rate) values.add((at - (windowStart + period)) / 1e6);   // the window was full
                    windowStart = at;
                    count = 1;
                } else {
                    count++;
                }
            }
        }
        return Lags.of("rate window boundary (from window end)", values);
    }

    static List<List<Sink.Arrival>> byKey(Sink.Tag tag) {
        return tag.arrivals().stream().filter(a -> a.key() != null)
                .collect(Collectors.groupingBy(Sink.Arrival::key)).values().stream()
                .map(l -> l.stream().sorted(Comparator.comparingLong(Sink.Arrival::atNanos)).toList()).toList();
    }

    static void waitFor(Sink.Tag tag, long count, int capSeconds) {
        long deadline = System.nanoTime() + capSeconds * 1_000_000_000L;
        while (tag.count() < count && System.nanoTime() < deadline) Command.sleep(100);
    }
}
