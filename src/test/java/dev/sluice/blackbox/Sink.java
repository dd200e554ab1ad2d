package dev.sluice.blackbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A local HTTP destination on 127.0.0.1 that records every request and answers as a test scripts it. It measures
 * what flow control promises at the receiving end: when each request started and how many of a group (the first
 * path segment after the leading one: {@code /fc/<group>/...}) were in flight at once.
 */
public final class Sink implements AutoCloseable {

    /** What the sink answers: status, extra headers, and how long it takes. */
    public record Answer(int status, Map<String, String> headers, Duration delay) {
        public static Answer ok() {
            return new Answer(200, Map.of(), Duration.ZERO);
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), Duration.ZERO);
        }

        public static Answer slow(Duration delay) {
            return new Answer(200, Map.of(), delay);
        }
    }

    /** One received request; times are System.nanoTime() at arrival and when the answer was sent. */
    public record Received(String method, String uri, Map<String, List<String>> headers, byte[] body,
                           long arrivedNanos, long arrivedEpochMillis) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        public String group() {
            String[] segments = uri.split("\\?")[0].split("/");
            return segments.length > 2 ? segments[2] : "";
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = prestarted(64);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attemptsByPath = new ConcurrentHashMap<>();
    private final Map<Received, Long> answeredNanos = new ConcurrentHashMap<>();
    private volatile BiFunction<Received, Integer, Answer> script = (request, attempt) -> Answer.ok();

    public Sink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    /** Threads ready before the first request, so arrival times are taken without thread start-up in between. */
    private static ExecutorService prestarted(int size) {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(size, size,
                1, java.util.concurrent.TimeUnit.MINUTES, new java.util.concurrent.LinkedBlockingQueue<>());
        pool.prestartAllCoreThreads();
        return pool;
    }

    /** How to answer: given the request and its attempt number at this path (1 = first). */
    public Sink answering(BiFunction<Received, Integer, Answer> script) {
        this.script = script;
        return this;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> received(Predicate<Received> filter) {
        return received.stream().filter(filter).toList();
    }

    public List<Received> group(String group) {
        return received(request -> request.group().equals(group));
    }

    /** When the sink answered the request (System.nanoTime()), or Long.MAX_VALUE if it has not yet. */
    public long answeredNanos(Received request) {
        return answeredNanos.getOrDefault(request, Long.MAX_VALUE);
    }

    public int maxInFlight(String group) {
        AtomicInteger max = maxInFlight.get(group);
        return max == null ? 0 : max.get();
    }

    /** Waits until at least count requests match, or the timeout passes; returns what matched. */
    public List<Received> await(Predicate<Received> filter, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Received> matching = received(filter);
        while (matching.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            matching = received(filter);
        }
        return matching;
    }

    /**
     * Waits until a request of each of the messages arrived (repeated attempts count once), or the timeout passes;
     * returns the ids of the messages received.
     */
    public Set<String> awaitMessages(Collection<String> messageIds, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> ids = receivedMessageIds();
        while (!ids.containsAll(messageIds) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            ids = receivedMessageIds();
        }
        return ids;
    }

    private Set<String> receivedMessageIds() {
        return received().stream().map(request -> request.header("Upstash-Message-Id"))
                .filter(Objects::nonNull).collect(Collectors.toSet());
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), body, arrived, System.currentTimeMillis());
        String group = request.group();
        int now = inFlight.computeIfAbsent(group, g -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(group, g -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        received.add(request);
        int attempt = attemptsByPath.computeIfAbsent(request.uri(), p -> new AtomicInteger()).incrementAndGet();
        try {
            Answer answer = script.apply(request, attempt);
            if (!answer.delay().isZero()) {
                Thread.sleep(answer.delay().toMillis());
            }
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] reply = ("answer " + answer.status()).getBytes();
            // leave the in-flight count before the response leaves, so the count never overstates
            inFlight.get(group).decrementAndGet();
            answeredNanos.put(request, System.nanoTime());
            exchange.sendResponseHeaders(answer.status(), reply.length);
            exchange.getResponseBody().write(reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
