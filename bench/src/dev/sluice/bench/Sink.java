package dev.sluice.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The destination of every delivery (Sluice, BullMQ's worker, the bare client): an HTTP server on 127.0.0.1 that
 * answers 200 (after a configurable random latency per tag) and records each request's arrival and answer instants
 * ({@link System#nanoTime()}, the same clock as the producers in this JVM) and the in-flight count per key.
 * A request's tag is the first path segment ({@code /tp-none/m}); the key and sequence come from {@code X-Bench-Key}
 * and {@code X-Bench-Seq} (Sluice forwards {@code Upstash-Forward-X-Bench-*}).
 */
final class Sink implements AutoCloseable {

    record Arrival(String key, long seq, int retried, long atNanos, long answeredNanos) {}

    static final class Tag {
        final LongAdder count = new LongAdder();
        final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
        final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        final Map<String, Integer> maxInFlight = new ConcurrentHashMap<>();
        volatile int latencyMinMs, latencyMaxMs;

        List<Arrival> arrivals() { return new ArrayList<>(arrivals); }
        long count() { return count.sum(); }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(600, r -> {
        Thread t = new Thread(r, "sink");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Tag> tags = new ConcurrentHashMap<>();

    Sink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 2048);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() { return server.getAddress().getPort(); }

    String url(String tag) { return "http://127.0.0.1:" + port() + "/" + tag + "/m"; }

    Tag tag(String name) { return tags.computeIfAbsent(name, n -> new Tag()); }

    void latency(String tag, int minMs, int maxMs) {
        Tag t = tag(tag);
        t.latencyMinMs = minMs;
        t.latencyMaxMs = maxMs;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        try (InputStream in = exchange.getRequestBody()) {
            in.transferTo(OutputDiscard.INSTANCE);
        }
        String path = exchange.getRequestURI().getPath();
        int slash = path.indexOf('/', 1);
        Tag tag = tag(slash < 0 ? path.substring(1) : path.substring(1, slash));
        String key = exchange.getRequestHeaders().getFirst("X-Bench-Key");
        if (key != null && key.isEmpty()) key = null;
        long seq = parse(exchange.getRequestHeaders().getFirst("X-Bench-Seq"), -1);
        int retried = (int) parse(exchange.getRequestHeaders().getFirst("Upstash-Retried"), 0);
        AtomicInteger inFlight = null;
        if (key != null) {
            inFlight = tag.inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            int now = inFlight.incrementAndGet();
            tag.maxInFlight.merge(key, now, Math::max);
        }
        try {
            int min = tag.latencyMinMs, max = tag.latencyMaxMs;
            if (max > 0) Thread.sleep(min + ThreadLocalRandom.current().nextInt(Math.max(1, max - min + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long answered = System.nanoTime();
        if (inFlight != null) inFlight.decrementAndGet();   // before answering: the sender frees its slot after
        tag.arrivals.add(new Arrival(key, seq, retried, at, answered));
        tag.count.increment();
        exchange.sendResponseHeaders(200, -1);
        exchange.close();
    }

    private static long parse(String s, long otherwise) {
        if (s == null) return otherwise;
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private static final class OutputDiscard extends java.io.OutputStream {
        static final OutputDiscard INSTANCE = new OutputDiscard();
        @Override public void write(int b) {}
        @Override public void write(byte[] b, int off, int len) {}
    }
}
