package dev.sluice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * Baseline (a): the ceiling of this machine — a bare {@code java.net.http.HttpClient} loop POSTing the same payload
 * to the same sink with the same concurrency (a semaphore of permits around {@code sendAsync}), no storage at all.
 */
final class BareClientBaseline {
    private final Settings settings;
    private final Sink sink;

    BareClientBaseline(Settings settings, Sink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** Delivers up to {@code count} requests within warm-up + measurement seconds. */
    Throughput run(long count) {
        String tag = "bare";
        Sink.Tag arrivals = sink.tag(tag);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore permits = new Semaphore(settings.deliveryConcurrency());
        LongAdder sent = new LongAdder(), failed = new LongAdder();
        String body = "x".repeat(settings.payloadBytes());
        URI uri = URI.create(sink.url(tag));
        System.out.printf("baseline bare HttpClient: %,d requests max, concurrency %d%n", count,
                settings.deliveryConcurrency());
        long t0 = System.nanoTime();
        long measureFrom = t0 + settings.warmupSeconds() * 1_000_000_000L;
        long end = measureFrom + settings.measureSeconds() * 1_000_000_000L;
        try (Monitor monitor = new Monitor("bare client", new long[] {ProcessHandle.current().pid()}, null,
                sent::sum, arrivals::count)) {
            for (long seq = 0; seq < count && System.nanoTime() < end; seq++) {
                permits.acquireUninterruptibly();
                sent.increment();
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/octet-stream")
                        .header("X-Bench-Seq", Long.toString(seq))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 200) failed.increment();
                    permits.release();
                });
            }
            permits.acquireUninterruptibly(settings.deliveryConcurrency());   // all answered
            long finished = System.nanoTime();
            long[] times = arrivals.arrivals().stream().mapToLong(Sink.Arrival::atNanos).toArray();
            long windowEnd = Math.min(end, finished);
            double seconds = (windowEnd - measureFrom) / 1e9;
            double rate = seconds > 0.5 ? ThroughputScenario.count(times, measureFrom, windowEnd) / seconds
                    : times.length / ((finished - t0) / 1e9);
            String note = "same JVM as the sink (its CPU includes the sink's)"
                    + (failed.sum() > 0 ? "; " + failed.sum() + " failed" : "");
            return new Throughput("bare HttpClient", Variant.NONE, Double.NaN, rate, Double.NaN,
                    monitor.cores(measureFrom, windowEnd), monitor.machineCores(measureFrom, windowEnd), Double.NaN,
                    sent.sum(), times.length, Series.rate("bare HttpClient", t0, times, (finished - t0) / 1e9), note);
        }
    }
}
