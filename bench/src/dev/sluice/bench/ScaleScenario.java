package dev.sluice.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Scenario 4: many keys, many waiting messages. Part 1: {@code scaleKeys} keys × a few messages; part 2:
 * {@code scaleBigMessages} messages on 100 keys; both with {@code rate=1, period=7d}, so each key delivers one
 * message and the rest waits. Loading ({@code POST /v2/batch}) is time-capped: the report says how many made it.
 * Under that load: heap (sampled, and live after a full GC), the gatekeeper's pass time (if Sluice exports
 * {@code sluice_gatekeeper_pass_seconds}), dispatch lag of probe messages without a key, and the latency of
 * {@code GET /v2/flowControl/{key}}. Part 2 runs on top of part 1's waiting messages.
 */
final class ScaleScenario {

    private static final int API_READ_TIMEOUT_SECONDS = 5;
    private static final int PROBE_WAIT_SECONDS = 20;
    private static final long API_PROBE_BUDGET_NANOS = 30_000_000_000L;

    record Part(String name, long target, long loaded, double loadSeconds, double maxHeap, double liveHeap,
                PromText metrics, Lags probeLag, Lags apiLatency, double waitlist, Series heap, String note) {}

    private final Settings settings;
    private final Sink sink;
    private final SluiceProcess sluice;
    private final SluiceApi api;
    private final long[] pids;
    private final String mode;

    ScaleScenario(Settings settings, Sink sink, SluiceProcess sluice, SluiceApi api, long[] pids, String mode) {
        this.settings = settings;
        this.sink = sink;
        this.sluice = sluice;
        this.api = api;
        this.pids = pids;
        this.mode = mode;
    }

    List<Part> run() {
        List<Part> parts = new ArrayList<>();
        int perKey = settings.scaleMessagesPerKey();
        long manyKeys = (long) settings.scaleKeys() * perKey;
        parts.add(part(String.format("%,d keys × %d messages", settings.scaleKeys(), perKey), "scalekeys", manyKeys,
                seq -> "sk" + mode + (seq / perKey), perKey * 100));
        int bigKeys = settings.scaleBigKeys();
        parts.add(part(String.format("%,d messages on %d keys", settings.scaleBigMessages(), bigKeys), "scalebig",
                settings.scaleBigMessages(), seq -> "sb" + mode + (seq % bigKeys), 500));
        return parts;
    }

    private Part part(String name, String id, long target, LongFunction<String> keyOf, int batchSize) {
        String tag = id + "-" + mode;
        Sink.Tag arrivals = sink.tag(tag);
        LongAdder loaded = new LongAdder(), failed = new LongAdder();
        LongFunction<SluiceApi.Draft> plan = seq -> new SluiceApi.Draft(tag, keyOf.apply(seq), "rate=1, period=7d", seq);
        System.out.printf("scale [%s] %s: loading with /v2/batch (%d per call), at most %d s%n", mode, name, batchSize,
                settings.scaleLoadSeconds());
        long start = System.nanoTime();
        Monitor monitor = new Monitor("scale " + mode + " " + id, pids, api, loaded::sum, arrivals::count);
        Producers.batchLoad(api, plan, target, batchSize, 3, start + settings.scaleLoadSeconds() * 1_000_000_000L,
                loaded, failed);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        long keysLoaded = java.util.stream.LongStream.range(0, Math.min(loaded.sum(), target)).mapToObj(keyOf)
                .distinct().count();
        System.out.printf("  loaded %,d of %,d messages (%,d keys) in %.0f s%n", loaded.sum(), target, keysLoaded,
                loadSeconds);
        Probes probes = probes(id);
        Lags apiLatency = flowControlLatency(keyOf, Math.min(loaded.sum(), target));
        monitor.close();
        double maxHeap = monitor.maxHeap();
        sluice.gc();
        double liveHeap = api.usedHeapBytes();
        PromText metrics = api.metrics("application");
        List<String> notes = new ArrayList<>();
        if (failed.sum() > 0) notes.add(failed.sum() + " messages rejected");
        if (probes.lags().millis().length < probes.sent()) {
            notes.add(String.format("%d of %d probes reached the sink within %d s", probes.lags().millis().length,
                    probes.sent(), PROBE_WAIT_SECONDS));
        }
        String note = String.join("; ", notes);
        return new Part(name, target, loaded.sum(), loadSeconds, maxHeap, liveHeap, metrics, probes.lags(),
                apiLatency, metrics.get("sluice_waitlist_total"), monitor.heapSeries(mode + " " + id), note);
    }

    /** Probes of each part have their own tag: a part's late probes must not be taken for the next part's. */
    private record Probes(Lags lags, long sent) {}

    private Probes probes(String partId) {
        String tag = "probe-" + partId + "-" + mode;
        Sink.Tag arrivals = sink.tag(tag);
        Producers producers = new Producers(api, 2, true);
        producers.run(seq -> new SluiceApi.Draft(tag, null, null, seq), Long.MAX_VALUE,
                System.nanoTime() + settings.scaleProbeSeconds() * 1_000_000_000L, 20);
        long sent = producers.accepted.sum();
        LagScenario.waitFor(arrivals, sent, PROBE_WAIT_SECONDS);
        java.util.Map<Long, Long> at = new java.util.HashMap<>();
        for (Sink.Arrival a : arrivals.arrivals()) at.merge(a.seq(), a.atNanos(), Math::min);
        List<Double> values = new ArrayList<>();
        producers.ackNanos.forEach((seq, ack) -> { if (at.containsKey(seq)) values.add((at.get(seq) - ack) / 1e6); });
        arrivals.arrivals.clear();
        return new Probes(Lags.of("probe dispatch lag", values), sent);
    }

    /**
     * 200 reads of random loaded keys, bounded: each read waits at most 5 s and all of them 30 s, so a Sluice that
     * cannot answer (e.g. its broker is down) is reported, not waited for.
     */
    private Lags flowControlLatency(LongFunction<String> keyOf, long loaded) {
        List<Double> values = new ArrayList<>();
        int errors = 0;
        long deadline = System.nanoTime() + API_PROBE_BUDGET_NANOS;
        for (int i = 0; i < 200 && loaded > 0 && System.nanoTime() < deadline; i++) {
            String key = keyOf.apply(ThreadLocalRandom.current().nextLong(loaded));
            long t = System.nanoTime();
            try {
                HttpResponse<String> r = api.get("/v2/flowControl/" + key, API_READ_TIMEOUT_SECONDS);
                if (r.statusCode() != 200 || !r.body().contains("waitListSize")) errors++;
            } catch (IOException e) {
                errors++;
            }
            values.add((System.nanoTime() - t) / 1e6);
        }
        if (errors > 0) System.out.println("  GET /v2/flowControl errors: " + errors + " of " + values.size());
        return Lags.of("GET /v2/flowControl/{key}", values);
    }
}
