package dev.sluice.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Calibrates the harness itself: every 100 ms a request goes to the sink and the delay from "client starts sending"
 * to "the sink records the arrival" is measured. Under load this delay varies (thread scheduling of the sink),
 * and it bounds how exactly sink arrival instants stand for Sluice's send instants.
 */
final class JitterProbe implements AutoCloseable {
    private final List<Double> delays = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    JitterProbe(Sink sink) {
        String tag = "jitter";
        Sink.Tag arrivals = sink.tag(tag);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        thread = new Thread(() -> {
            for (long seq = 0; running; seq++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sink.url(tag))).timeout(Duration.ofSeconds(10))
                        .header("X-Bench-Seq", Long.toString(seq)).POST(HttpRequest.BodyPublishers.ofString("j")).build();
                long sent = System.nanoTime();
                try {
                    http.send(request, HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    continue;
                }
                final long s = seq;
                arrivals.arrivals.stream().filter(a -> a.seq() == s).findFirst().ifPresent(a -> {
                    synchronized (delays) {
                        delays.add((a.atNanos() - sent) / 1e6);
                    }
                });
                arrivals.arrivals.clear();
                Command.sleep(100);
            }
        }, "jitter-probe");
        thread.setDaemon(true);
        thread.start();
    }

    Lags delays() {
        synchronized (delays) {
            return Lags.of("harness: client send → sink arrival", new ArrayList<>(delays));
        }
    }

    @Override
    public void close() {
        running = false;
        ThroughputScenario.join(thread);
    }
}
