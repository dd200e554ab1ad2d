package dev.sluice.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

/**
 * Baseline (b): BullMQ (pinned in bench/bullmq) on Debian's redis-server, started here on loopback with AOF
 * {@code everysec}. A node producer adds jobs with the same number of concurrent adders as Sluice's producers; a
 * node worker POSTs each job's payload to the same sink with the same concurrency. The 1,000-key variant uses one
 * queue + limiter + Worker per key (BullMQ's open-source limiter is per queue).
 */
final class BullMqBaseline implements AutoCloseable {
    private static final Pattern ADDED = Pattern.compile("\"added\":(\\d+)");
    private final Settings settings;
    private final Sink sink;
    private final Path dir;
    private final Path work;
    private final Process redis;
    private final int redisPort;

    BullMqBaseline(Settings settings, Sink sink, Path benchDir, Path work) throws IOException {
        this.settings = settings;
        this.sink = sink;
        this.dir = benchDir.resolve("bullmq");
        this.work = work;
        if (!Files.isDirectory(dir.resolve("node_modules/bullmq"))) throw new IOException("bench/bullmq: npm ci not run");
        Path data = work.resolve("redis");
        Command.deleteTree(data);
        Files.createDirectories(data);
        redisPort = Command.freePort();
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--appendonly", "yes", "--appendfsync", "everysec", "--dir", data.toString(), "--save", "",
                "--maxclients", "10000")
                .redirectErrorStream(true).redirectOutput(work.resolve("redis.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::destroyForcibly));
        for (int i = 0; i < 100 && !redisCli("PING").contains("PONG"); i++) Command.sleep(100);
        if (!redisCli("PING").contains("PONG")) throw new IOException("redis-server did not start; see redis.log");
    }

    String redisVersion() {
        return Command.run(10, List.of("redis-server", "--version"), Map.of()).output();
    }

    private String redisCli(String... args) {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(redisPort)));
        cmd.addAll(List.of(args));
        return Command.run(30, cmd, Map.of()).output();
    }

    List<Throughput> run() {
        List<Throughput> results = new ArrayList<>();
        for (Variant v : Variant.ALL) {
            try {
                results.add(run(v));
            } catch (IOException | RuntimeException e) {
                results.add(Throughput.failed("BullMQ", v, e.toString()));
            }
            redisCli("FLUSHALL");
        }
        return results;
    }

    private Throughput run(Variant v) throws IOException {
        String tag = "bull-" + v.id();
        Sink.Tag arrivals = sink.tag(tag);
        int queues = Math.max(1, v.keys());
        String limiter = v.limiterMax() > 0
                ? "{\"max\":" + v.limiterMax() + ",\"duration\":" + v.limiterMillis() + "}" : "null";
        int seconds = settings.warmupSeconds() + settings.measureSeconds();
        String config = "{\"redisPort\":" + redisPort + ",\"tag\":\"" + tag + "\",\"queues\":" + queues
                + ",\"limiter\":" + limiter + ",\"concurrency\":%d,\"durationMs\":" + seconds * 1000
                + ",\"sinkUrl\":\"http://127.0.0.1:" + sink.port() + "\",\"payloadBytes\":" + settings.payloadBytes() + "}";
        System.out.printf("baseline BullMQ %s: %d queue(s), worker concurrency %d%n", v.title(), queues,
                queues > 1 ? 1 : settings.deliveryConcurrency());
        Process worker = node("worker", String.format(config, settings.deliveryConcurrency()), tag + "-worker.log");
        Process producer = null;
        try {
            AtomicLong ready = new AtomicLong();
            Thread workerOut = follow(worker, line -> { if (line.contains("\"ready\"")) ready.set(1); });
            long readyDeadline = System.nanoTime() + 120_000_000_000L;
            while (ready.get() == 0 && worker.isAlive() && System.nanoTime() < readyDeadline) Command.sleep(100);
            if (ready.get() == 0) throw new IOException("BullMQ worker not ready; see " + tag + "-worker.log");
            AtomicLong added = new AtomicLong();
            AtomicLong finalAdded = new AtomicLong(-1);
            long t0 = System.nanoTime();
            producer = node("producer", String.format(config, settings.producers()), null);
            Thread producerOut = follow(producer, line -> {
                Matcher m = ADDED.matcher(line);
                if (m.find()) added.set(Long.parseLong(m.group(1)));
                if (line.contains("\"done\"")) finalAdded.set(added.get());
            });
            long[] pids = LongStream.of(redis.pid(), worker.pid(), producer.pid()).toArray();
            try (Monitor monitor = new Monitor("bullmq " + v.id(), pids, null, added::get, arrivals::count)) {
                long measureFrom = t0 + settings.warmupSeconds() * 1_000_000_000L;
                long publishEnd = measureFrom + settings.measureSeconds() * 1_000_000_000L;
                ThroughputScenario.sleepUntil(measureFrom);
                long addedAtStart = added.get();
                ThroughputScenario.sleepUntil(publishEnd);
                long addedAtEnd = added.get();
                long producerDeadline = System.nanoTime() + 60_000_000_000L;
                while (producer.isAlive() && System.nanoTime() < producerDeadline) Command.sleep(100);
                ThroughputScenario.join(producerOut);
                long total = finalAdded.get() >= 0 ? finalAdded.get() : added.get();
                long drainDeadline = System.nanoTime() + settings.drainSeconds() * 1_000_000_000L;
                while (arrivals.count() < total && System.nanoTime() < drainDeadline) Command.sleep(200);
                long drainEnd = System.nanoTime();
                long[] times = arrivals.arrivals().stream().mapToLong(Sink.Arrival::atNanos).toArray();
                long lastArrival = LongStream.of(times).max().orElse(drainEnd);
                long drainTo = Math.min(drainEnd, Math.max(publishEnd + 1, lastArrival));
                double drainRate = ThroughputScenario.count(times, publishEnd, drainTo) / ((drainTo - publishEnd) / 1e9);
                String note = "CPU = redis + node producer + node worker";
                if (arrivals.count() < total) note += "; " + (total - arrivals.count()) + " not delivered within the drain cap";
                double measured = settings.measureSeconds();
                return new Throughput("BullMQ", v, (addedAtEnd - addedAtStart) / measured,
                        ThroughputScenario.count(times, measureFrom, publishEnd) / measured, drainRate,
                        monitor.cores(measureFrom, publishEnd), monitor.machineCores(measureFrom, publishEnd),
                        Double.NaN, total, times.length,
                        Series.rate("BullMQ (" + v.id() + ")", t0, times, (drainEnd - t0) / 1e9), note);
            } finally {
                workerOut.interrupt();
            }
        } finally {
            Command.stop(producer, 5);
            Command.stop(worker, 20);
        }
    }

    private Process node(String role, String config, String logName) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("node", "baseline.mjs", role, config).directory(dir.toFile());
        if (logName != null) pb.redirectError(work.resolve(logName).toFile());
        else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
        return p;
    }

    private static Thread follow(Process p, java.util.function.Consumer<String> onLine) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) onLine.accept(line);
            } catch (IOException ignored) {
                // process ended
            }
        }, "follow-" + p.pid());
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() { Command.stop(redis, 10); }
}
