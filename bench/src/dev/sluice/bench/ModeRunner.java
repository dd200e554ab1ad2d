package dev.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

/** Starts one persistence mode (its services and one Sluice) and runs the chosen scenarios against it. */
final class ModeRunner {
    private final Settings settings;
    private final Sink sink;
    private final Path project, work, jar;
    private final String heap;
    private final ModeRun run;
    private final Set<String> scenarios;

    ModeRunner(Settings settings, Sink sink, Path project, Path work, Path jar, String heap, ModeRun run,
               Set<String> scenarios) {
        this.settings = settings;
        this.sink = sink;
        this.project = project;
        this.work = work;
        this.jar = jar;
        this.heap = heap;
        this.run = run;
        this.scenarios = scenarios;
    }

    void run() {
        ProductionServices services = null;
        SluiceProcess sluice = null;
        try {
            Files.createDirectories(work);
            Map<String, String> env = Map.of();
            if (run.mode.equals("production")) {
                System.out.println("production mode: PostgreSQL database " + ProductionServices.DB
                        + " (re-created), standalone Artemis (first start downloads and unpacks it)");
                services = new ProductionServices(project, work, heap);
                env = services.sluiceEnvironment();
            }
            System.out.println("starting Sluice (" + run.mode + ") ...");
            sluice = new SluiceProcess(jar, work, env, heap, settings.readySeconds());
            run.bootMillis = sluice.bootMillis;
            run.maxHeapBytes = SluiceProcess.bytes(heap);
            System.out.printf("Sluice ready on port %d after %.1f s%n", sluice.port, sluice.bootMillis / 1000.0);
            SluiceApi api = new SluiceApi(sluice.base(), sluice.token, sink, settings.payloadBytes());
            long[] pids = services == null ? new long[] {sluice.pid()}
                    : LongStream.concat(LongStream.of(sluice.pid()), LongStream.of(services.brokerPids())).toArray();
            long[] sluiceOnly = {sluice.pid()};
            String mode = run.mode;
            attempt("warm-up", sluice, () -> warmUp(api, mode));
            if (scenarios.contains("lag")) attempt("lag", sluice, () -> run.lag = new LagScenario(settings, sink, api, sluiceOnly, mode, work).run());
            if (scenarios.contains("precision")) attempt("precision", sluice, () -> run.precision = new PrecisionScenario(settings, sink, api, sluiceOnly, mode, work).run());
            if (scenarios.contains("throughput")) attempt("throughput", sluice, () -> run.throughput = new ThroughputScenario(settings, sink, api, pids, mode).run());
            if (scenarios.contains("scale")) {
                SluiceProcess s = sluice;
                attempt("scale", sluice, () -> run.scale = new ScaleScenario(settings, sink, s, api, sluiceOnly, mode).run());
            }
        } catch (Exception e) {
            run.problems.put("could not run " + run.mode + " mode", e.getMessage());
            System.out.println("!! " + run.mode + " mode not run: " + e.getMessage());
        } finally {
            if (sluice != null) sluice.close();
            if (services != null) services.close();
        }
    }

    /** Load without flow control for a while, not measured: scenarios then meet a JVM whose JIT did its work. */
    private void warmUp(SluiceApi api, String mode) {
        String tag = "warmup-" + mode;
        Sink.Tag arrivals = sink.tag(tag);
        System.out.printf("warm-up [%s]: %d producers for %d s (not measured)%n", mode, settings.producers(),
                settings.jitWarmupSeconds());
        Producers producers = new Producers(api, settings.producers(), false);
        producers.run(seq -> new SluiceApi.Draft(tag, null, null, seq), Long.MAX_VALUE,
                System.nanoTime() + settings.jitWarmupSeconds() * 1_000_000_000L, 0);
        LagScenario.waitFor(arrivals, producers.accepted.sum(), 30);
        System.out.printf("  %,d delivered%n", arrivals.count());
        arrivals.arrivals.clear();
    }

    private void attempt(String scenario, SluiceProcess sluice, Runnable body) {
        if (!sluice.alive()) {
            run.problems.put(scenario, "not run: Sluice is no longer running (see " + sluice.log + ")");
            return;
        }
        try {
            body.run();
        } catch (RuntimeException e) {
            run.problems.put(scenario, e.toString());
            System.out.println("!! " + scenario + " failed: " + e);
        }
    }
}
