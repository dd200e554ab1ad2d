package dev.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entry point (bench/run): {@code [--quick] [--only throughput,lag,precision,scale,baseline]
 * [--mode embedded|production|both] [--heap 1g]}; {@code --heap} is the maximum heap of Sluice and of the standalone
 * broker. One Sluice per persistence mode runs the scenarios in turn (lag, precision,
 * throughput, scale; each ends by cancelling what is still pending, and uses its own keys and sink tags); then the
 * baselines; then the report.
 */
public final class Bench {
    private static final List<String> SCENARIOS = List.of("throughput", "lag", "precision", "scale", "baseline");

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        Set<String> only = new LinkedHashSet<>(SCENARIOS);
        String modeArg = null;
        String heap = "1g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--only" -> only = new LinkedHashSet<>(List.of(args[++i].split(",")));
                case "--mode" -> modeArg = args[++i];
                case "--heap" -> heap = args[++i];
                default -> {
                    System.err.println("usage: bench/run [--quick] [--only throughput,lag,precision,scale,baseline] "
                            + "[--mode embedded|production|both] [--heap 1g]");
                    System.exit(2);
                }
            }
        }
        if (!heap.matches("\\d+[mMgG]")) throw new IllegalArgumentException("--heap like 1g or 512m: " + heap);
        for (String s : only) if (!SCENARIOS.contains(s)) throw new IllegalArgumentException("unknown scenario " + s);
        Settings settings = quick ? Settings.quickRun() : Settings.full();
        if (modeArg == null) modeArg = quick ? "embedded" : "both";   // --quick stays within ~5 minutes
        Path project = Path.of(System.getProperty("bench.project", ".")).toAbsolutePath().normalize();
        Path bench = project.resolve("bench");
        Path results = bench.resolve("results");
        Path work = bench.resolve("target/run");
        Files.createDirectories(results);
        Files.createDirectories(work);
        Path jar = project.resolve("target/sluice.jar");
        List<String> modes = switch (modeArg) {
            case "both" -> List.of("embedded", "production");
            case "embedded", "production" -> List.of(modeArg);
            default -> throw new IllegalArgumentException("--mode embedded|production|both");
        };
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        String loadAtStart = ProcessCpu.loadAverage();
        System.out.printf("Sluice bench: %s run, scenarios %s, modes %s%n", quick ? "quick" : "full", only, modes);

        List<ModeRun> runs = new ArrayList<>();
        Throughput bare = null;
        List<Throughput> bull = null;
        String baselineProblem = null;
        String redisVersion = "n/a";
        try (Sink sink = new Sink()) {
            for (String mode : modes) {
                ModeRun run = new ModeRun(mode, mode.equals("embedded")
                        ? "embedded (Artemis in-process, H2 file database)"
                        : "production (standalone Artemis 2.56.0, PostgreSQL)");
                runs.add(run);
                Set<String> sluiceScenarios = new LinkedHashSet<>(only);
                sluiceScenarios.remove("baseline");
                if (sluiceScenarios.isEmpty()) continue;
                new ModeRunner(settings, sink, project, work.resolve(mode), jar, heap, run, sluiceScenarios)
                        .run();
            }
            if (only.contains("baseline")) {
                long count = 20_000;
                for (ModeRun r : runs) {
                    Throughput t = r.throughput(Variant.NONE);
                    if (t != null && t.ok()) count = Math.max(count, t.delivered());
                }
                try {
                    bare = new BareClientBaseline(settings, sink).run(count);
                } catch (RuntimeException e) {
                    baselineProblem = "bare client: " + e;
                }
                try (BullMqBaseline b = new BullMqBaseline(settings, sink, bench, work)) {
                    redisVersion = b.redisVersion();
                    bull = b.run();
                } catch (Exception e) {
                    baselineProblem = (baselineProblem == null ? "" : baselineProblem + "; ") + "BullMQ: " + e;
                }
            }
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        Map<String, String> machine = Machine.describe(project, redisVersion, heap);
        machine.put("load average (1/5/15 min) at start → end", loadAtStart + " → " + ProcessCpu.loadAverage());
        machine.put("run", (quick ? "`bench/run --quick`" : "`bench/run`") + " --only " + String.join(",", only)
                + " --mode " + modeArg + " --heap " + heap + ", started " + started + ", " + String.format("%.1f", minutes) + " min");
        String header = "# Sluice benchmark report\n\n" + Machine.methodology(settings) + "\n## Machine and run\n\n"
                + Report.machine(machine);
        String text = new Report(results).render(header, runs, bare, bull, baselineProblem, "");
        Report.write(results.resolve("report.md"), text);
        System.out.println();
        System.out.println(text);
        System.out.println("report: " + results.resolve("report.md"));
        System.exit(0);
    }

    private Bench() {}
}
