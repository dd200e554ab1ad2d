package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Scenario 1: N producers publish as fast as the API accepts for warm-up + measurement seconds; the sink answers at
 * once. Sustained publishes/s and deliveries/s are counted after the warm-up; then deliveries continue (drain) for a
 * bounded time, the rest is cancelled so the next variant starts clean.
 */
final class ThroughputScenario {
    private final Settings settings;
    private final Sink sink;
    private final SluiceApi api;
    private final long[] pids;
    private final String mode;

    ThroughputScenario(Settings settings, Sink sink, SluiceApi api, long[] pids, String mode) {
        this.settings = settings;
        this.sink = sink;
        this.api = api;
        this.pids = pids;
        this.mode = mode;
    }

    List<Throughput> run() {
        List<Throughput> results = new ArrayList<>();
        for (Variant v : Variant.ALL) {
            try {
                results.add(run(v));
            } catch (RuntimeException e) {
                results.add(Throughput.failed("Sluice " + mode, v, e.toString()));
            }
        }
        return results;
    }

    private Throughput run(Variant v) {
        String tag = "tp-" + v.id() + "-" + mode;
        String keyPrefix = "tp" + v.id() + mode;
        Sink.Tag arrivals = sink.tag(tag);
        Producers producers = new Producers(api, settings.producers(), false);
        LongFunction<SluiceApi.Draft> plan = seq -> new SluiceApi.Draft(tag, v.key(keyPrefix, seq), v.limits(), seq);
        System.out.printf("throughput [%s] %s: %d producers, %d s warm-up + %d s measured%n", mode, v.title(),
                settings.producers(), settings.warmupSeconds(), settings.measureSeconds());
        long t0 = System.nanoTime();
        long measureFrom = t0 + settings.warmupSeconds() * 1_000_000_000L;
        long publishEnd = measureFrom + settings.measureSeconds() * 1_000_000_000L;
        try (Monitor monitor = new Monitor("sluice " + mode + " " + v.id(), pids, api, producers.accepted::sum,
                arrivals::count)) {
            Thread publishing = new Thread(() -> producers.run(plan, Long.MAX_VALUE, publishEnd, 0));
            publishing.start();
            sleepUntil(measureFrom);
            long acceptedAtStart = producers.accepted.sum();
            sleepUntil(publishEnd);
            long acceptedAtEnd = producers.accepted.sum();
            join(publishing);
            long accepted = producers.accepted.sum();
            long drainDeadline = System.nanoTime() + settings.drainSeconds() * 1_000_000_000L;
            while (arrivals.count() < accepted && System.nanoTime() < drainDeadline) Command.sleep(200);
            long drainEnd = System.nanoTime();
            String note = producers.failed.sum() > 0 ? producers.failed.sum() + " publishes failed" : "";
            if (arrivals.count() < accepted) {
                note += (note.isEmpty() ? "" : "; ") + (accepted - arrivals.count())
                        + " not delivered within the drain cap (cancelled)";
                System.out.println("  cancelling the rest: " + api.cancelAll());
                Command.sleep(2000);
            }
            long[] times = arrivals.arrivals().stream().mapToLong(Sink.Arrival::atNanos).toArray();
            long inWindow = count(times, measureFrom, publishEnd);
            long lastArrival = java.util.Arrays.stream(times).max().orElse(drainEnd);
            long drainTo = Math.min(drainEnd, Math.max(publishEnd + 1, lastArrival));
            double drainRate = count(times, publishEnd, drainTo) / ((drainTo - publishEnd) / 1e9);
            double seconds = settings.measureSeconds();
            return new Throughput("Sluice " + mode, v, (acceptedAtEnd - acceptedAtStart) / seconds, inWindow / seconds,
                    drainRate, monitor.cores(measureFrom, publishEnd), monitor.machineCores(measureFrom, publishEnd),
                    monitor.maxHeap(), accepted, times.length,
                    Series.rate("Sluice " + mode + " (" + v.id() + ")", t0, times, (drainEnd - t0) / 1e9), note);
        }
    }

    static long count(long[] times, long from, long to) {
        long n = 0;
        for (long t : times) if (t >= from && t < to) n++;
        return n;
    }

    static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) Command.sleep(wait / 1_000_000 + 1);
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
