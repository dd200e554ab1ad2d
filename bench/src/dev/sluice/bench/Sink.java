package dev.sluice.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The destination of every delivery (Sluice, BullMQ's worker, the bare client): an HTTP/1.1 server on 127.0.0.1 that
 * answers 200 (after a configurable random latency per tag) and records each request's arrival and answer instants
 * ({@link System#nanoTime()}, the same clock as the producers in this JVM) and the in-flight count per key.
 * A request's tag is the first path segment ({@code /tp-none/m}); the key and sequence come from {@code X-Bench-Key}
 * and {@code X-Bench-Seq} (Sluice forwards {@code Upstash-Forward-X-Bench-*}).
 * <p>
 * Each connection has a thread of its own, blocked reading it: a request's arrival is dated by the thread the kernel
 * wakes when its bytes come (on a new connection, the first request waits for the acceptor thread too).
 * ({@code com.sun.net.httpserver}, used before, hands a ready connection from its one selector thread to a worker
 * thread: two wake-ups between the socket and the instant, each as late as the scheduler makes it.) A connection
 * idle for {@link #IDLE_MILLIS} is closed, as that server did.
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

    /** What the sink reads of a request: its tag, the bench's headers, how its body comes and whether to close. */
    private record Request(String path, String key, long seq, int retried, long contentLength, boolean chunked,
                           boolean expectContinue, boolean close) {}

    private static final int IDLE_MILLIS = 30_000;
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Tag> tags = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    Sink() throws IOException {
        server = new ServerSocket(0, 2048, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() { return server.getLocalPort(); }

    String url(String tag) { return "http://127.0.0.1:" + port() + "/" + tag + "/m"; }

    Tag tag(String name) { return tags.computeIfAbsent(name, n -> new Tag()); }

    void latency(String tag, int minMs, int maxMs) {
        Tag t = tag(tag);
        t.latencyMinMs = minMs;
        t.latencyMaxMs = maxMs;
    }

    private void accept() {
        while (running) {
            Socket socket = null;
            try {
                socket = server.accept();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(IDLE_MILLIS);
                open.add(socket);
                Socket accepted = socket;
                Thread connection = new Thread(() -> serve(accepted), "sink");
                connection.setDaemon(true);
                connection.start();
            } catch (Throwable e) {   // out of threads or file handles: the connection is refused, the sink goes on
                if (socket != null) closeQuietly(socket);
                if (running) {
                    System.out.println("!! sink: accepting a connection failed: " + e);
                    Command.sleep(10);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
             OutputStream out = socket.getOutputStream()) {
            while (running) {
                int first = in.read();   // blocked here between requests: the kernel wakes this thread
                long at = System.nanoTime();
                if (first < 0) return;
                Request request = head(first, in);
                if (request.expectContinue()) out.write(CONTINUE);
                discardBody(request, in);
                record(request, at);
                out.write(OK);
                out.flush();
                if (request.close()) return;
            }
        } catch (SocketTimeoutException idle) {
            // closed, as an idle keep-alive connection
        } catch (IOException | RuntimeException e) {
            // the client went away, or sent what this sink does not read: the connection is closed
        } finally {
            open.remove(socket);
        }
    }

    private void record(Request request, long at) {
        String path = request.path();
        int slash = path.indexOf('/', 1);
        Tag tag = tag(slash < 0 ? path.substring(1) : path.substring(1, slash));
        AtomicInteger inFlight = null;
        if (request.key() != null) {
            inFlight = tag.inFlight.computeIfAbsent(request.key(), k -> new AtomicInteger());
            int now = inFlight.incrementAndGet();
            tag.maxInFlight.merge(request.key(), now, Math::max);
        }
        try {
            int min = tag.latencyMinMs, max = tag.latencyMaxMs;
            if (max > 0) Thread.sleep(min + ThreadLocalRandom.current().nextInt(Math.max(1, max - min + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long answered = System.nanoTime();
        if (inFlight != null) inFlight.decrementAndGet();   // before answering: the sender frees its slot after
        tag.arrivals.add(new Arrival(request.key(), request.seq(), request.retried(), at, answered));
        tag.count.increment();
    }

    /** The request line and headers, the first byte already read. */
    private static Request head(int first, InputStream in) throws IOException {
        String line = line(first, in);
        String[] parts = line.split(" ");
        if (parts.length < 3) throw new IOException("not an HTTP request line: " + line);
        String target = parts[1];
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        String key = null;
        long seq = -1, contentLength = 0;
        int retried = 0;
        boolean chunked = false, expectContinue = false, close = parts[2].equals("HTTP/1.0");
        for (String header = line(in.read(), in); !header.isEmpty(); header = line(in.read(), in)) {
            int colon = header.indexOf(':');
            if (colon < 0) continue;
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "x-bench-key" -> key = value.isEmpty() ? null : value;
                case "x-bench-seq" -> seq = parse(value, -1);
                case "upstash-retried" -> retried = (int) parse(value, 0);
                case "content-length" -> contentLength = parse(value, 0);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "expect" -> expectContinue = value.equalsIgnoreCase("100-continue");
                case "connection" -> close = value.toLowerCase(Locale.ROOT).contains("close");
                default -> { }
            }
        }
        return new Request(path, key, seq, retried, contentLength, chunked, expectContinue, close);
    }

    private static void discardBody(Request request, InputStream in) throws IOException {
        if (!request.chunked()) {
            skip(in, request.contentLength());
            return;
        }
        for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
            skip(in, size);
            line(in.read(), in);   // the CRLF after the chunk
        }
        for (String trailer = line(in.read(), in); !trailer.isEmpty(); trailer = line(in.read(), in)) {
            // trailers: none expected
        }
    }

    private static long chunkSize(InputStream in) throws IOException {
        String line = line(in.read(), in);
        int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        for (long left = bytes; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) throw new IOException("body cut short");
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** One line without its CRLF (ASCII), starting with {@code first}. */
    private static String line(int first, InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = first; b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed mid-request");
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
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
        running = false;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(Sink::closeQuietly);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
