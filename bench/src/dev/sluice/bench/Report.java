package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The markdown report (bench/results/report.md) and its PNG plots. */
final class Report {
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();
    private final Path results;

    Report(Path results) { this.results = results; }

    String render(String header, List<ModeRun> modes, Throughput bare, List<Throughput> bull, String baselineProblem,
                  String footer) throws IOException {
        md.append(header);
        throughputSection(modes, bare, bull, baselineProblem);
        lagSection(modes);
        precisionSection(modes);
        scaleSection(modes);
        for (ModeRun m : modes) {
            if (m.problems.isEmpty()) continue;
            md.append("\n### Problems in ").append(m.description).append("\n\n");
            m.problems.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        StringBuilder out = new StringBuilder();
        int cut = md.indexOf("\n## ");
        out.append(md, 0, cut < 0 ? md.length() : cut);
        out.append("\n## Targets (reported, never asserted)\n\n");
        table(out, new String[] {"Target", "Mode", "Measured", "Met?"}, targets);
        if (cut >= 0) out.append(md, cut, md.length());
        out.append(footer);
        return out.toString();
    }

    private void target(String name, String mode, String measured, Boolean met) {
        targets.add(new String[] {name, mode, measured, met == null ? "not measured" : met ? "met" : "**not met**"});
    }

    private void throughputSection(List<ModeRun> modes, Throughput bare, List<Throughput> bull, String baselineProblem)
            throws IOException {
        md.append("\n## 1. Throughput\n\n");
        List<String[]> rows = new ArrayList<>();
        List<Throughput> all = new ArrayList<>();
        for (ModeRun m : modes) if (m.throughput != null) all.addAll(m.throughput);
        if (bull != null) all.addAll(bull);
        if (bare != null) all.add(bare);
        for (Throughput t : all) {
            rows.add(new String[] {t.system(), t.variant().title(), Stats.f(t.publishesPerSecond(), 0),
                    Stats.f(t.deliveriesPerSecond(), 0), Stats.f(t.drainPerSecond(), 0), Stats.f(t.cores(), 2),
                    Stats.f(t.machineCores(), 2), Stats.mb(t.maxHeapBytes()), Stats.f(t.accepted(), 0),
                    Stats.f(t.delivered(), 0), t.note()});
        }
        md.append("Sustained rates are counted after the warm-up, over the measured interval while producers publish; "
                + "*drain* is deliveries/s after producers stopped, while a backlog remained. CPU = average cores used "
                + "by the system under test; *machine* = all busy cores of the machine (includes the bench harness, "
                + "the sink and anything else running).\n\n");
        table(md, new String[] {"System", "Variant", "accepted publishes/s", "deliveries/s", "drain deliveries/s",
                "CPU cores", "machine cores", "max heap", "accepted", "delivered", "note"}, rows);
        if (baselineProblem != null) md.append("\nBaseline problem: ").append(baselineProblem).append('\n');

        md.append("\n**Sluice as a ratio of the baselines** (deliveries/s)\n\n");
        List<String[]> ratios = new ArrayList<>();
        for (ModeRun m : modes) {
            for (Variant v : Variant.ALL) {
                Throughput s = m.throughput(v);
                if (s == null) continue;
                Throughput b = bull == null ? null : bull.stream().filter(t -> t.variant() == v).findFirst().orElse(null);
                ratios.add(new String[] {"Sluice " + m.mode, v.title(), Stats.f(s.deliveriesPerSecond(), 0),
                        b == null ? "n/a" : Stats.f(b.deliveriesPerSecond(), 0),
                        b == null ? "n/a" : Stats.pct(s.deliveriesPerSecond() / b.deliveriesPerSecond()),
                        bare == null ? "n/a" : Stats.f(bare.deliveriesPerSecond(), 0),
                        bare == null ? "n/a" : Stats.pct(s.deliveriesPerSecond() / bare.deliveriesPerSecond()),
                        b == null ? "n/a" : Stats.pct(s.drainPerSecond() / b.drainPerSecond())});
            }
            Throughput none = m.throughput(Variant.NONE);
            if (none != null) {
                target("≥ 2,000 deliveries/s sustained (persisted path, no flow control)", m.mode,
                        Stats.f(none.deliveriesPerSecond(), 0) + "/s", none.ok() ? none.deliveriesPerSecond() >= 2000 : null);
                if (bare != null) {
                    double r = none.deliveriesPerSecond() / bare.deliveriesPerSecond();
                    target("≥ 50 % of the bare-client ceiling", m.mode, Stats.pct(r), Double.isNaN(r) ? null : r >= 0.5);
                }
            }
        }
        table(md, new String[] {"Sluice", "Variant", "Sluice/s", "BullMQ/s", "Sluice ÷ BullMQ", "bare client/s",
                "Sluice ÷ bare", "drain: Sluice ÷ BullMQ"}, ratios);

        List<Series> lines = new ArrayList<>();
        for (Throughput t : all) if (t.variant() == Variant.NONE && t.deliveriesOverTime() != null) lines.add(t.deliveriesOverTime());
        if (!lines.isEmpty()) {
            Plot.lines(results.resolve("throughput.png"), "Deliveries/s over time, no flow control", "seconds",
                    "deliveries/s", lines);
            md.append("\n![deliveries over time](throughput.png)\n");
        }
        List<String> systems = new ArrayList<>();
        for (Throughput t : all) if (!t.system().startsWith("bare") && !systems.contains(t.system())) systems.add(t.system());
        if (!systems.isEmpty()) {
            String[] cats = java.util.Arrays.stream(Variant.ALL).map(Variant::title).toArray(String[]::new);
            double[][] values = new double[systems.size()][cats.length];
            for (int s = 0; s < systems.size(); s++) {
                for (int c = 0; c < cats.length; c++) {
                    final int cc = c, ss = s;
                    values[s][c] = all.stream().filter(t -> t.system().equals(systems.get(ss)) && t.variant() == Variant.ALL[cc])
                            .mapToDouble(Throughput::deliveriesPerSecond).findFirst().orElse(Double.NaN);
                }
            }
            Plot.bars(results.resolve("throughput_variants.png"), "Sustained deliveries/s by variant", "deliveries/s",
                    cats, systems.toArray(String[]::new), values);
            md.append("\n![deliveries by variant](throughput_variants.png)\n");
        }
    }

    private void lagSection(List<ModeRun> modes) throws IOException {
        md.append("\n## 2. Dispatch lag\n\n");
        md.append("Eligible → the sink sees the request. Under limits: from the publish response at the producer "
                + "(20 publishes/s, 4 producers). parallelism=1: from the sink's answer to the key's previous delivery (sink answers "
                + "after 20 ms; the keys' messages are stored first, then released together with "
                + "`Upstash-Not-Before`, raw arrivals in `lag-parallelism-arrivals.csv`). Rate: from the end of a full window (one period after its first start). Deliveries "
                + "seen before the eligibility instant (e.g. delivered before the publish response arrived) count as "
                + "0 ms and are listed as *early*.\n\n");
        List<String[]> rows = new ArrayList<>();
        for (ModeRun m : modes) {
            if (m.lag == null) continue;
            List<Lags> sets = new ArrayList<>(m.lag.lags());
            Lags all = Lags.merge("all", sets);
            sets.add(all);
            for (Lags l : sets) rows.add(lagRow(m.mode, l));
            PromText p = m.lag.metrics();
            String metric = "sluice_delivery_start_delay_seconds";
            rows.add(new String[] {m.mode, "Sluice's own `" + metric + "` (due → sent; for waitlisted messages this includes waiting for the key's limits, so it is not the dispatch lag)",
                    Stats.f(p.get(metric + "_count"), 0), ms(p.quantile(metric, "0.5") * 1000),
                    ms(p.quantile(metric, "0.95") * 1000), ms(p.quantile(metric, "0.99") * 1000),
                    ms(p.get(metric + "_max") * 1000), ""});
            target("dispatch lag p50 ≤ 5 ms", m.mode, ms(all.p(50)), all.millis().length == 0 ? null : all.p(50) <= 5);
            target("dispatch lag p99 ≤ 25 ms", m.mode, ms(all.p(99)), all.millis().length == 0 ? null : all.p(99) <= 25);
            Plot.cdf(results.resolve("lag_" + m.mode + ".png"), "Dispatch lag CDF, " + m.mode, "ms", m.lag.lags());
        }
        table(md, new String[] {"Mode", "Kind", "n", "p50", "p95", "p99", "max", "early"}, rows);
        for (ModeRun m : modes) if (m.lag != null) md.append("\n![lag ").append(m.mode).append("](lag_").append(m.mode).append(".png)\n");
    }

    private static String[] lagRow(String mode, Lags l) {
        return new String[] {mode, l.name(), Integer.toString(l.millis().length), ms(l.p(50)), ms(l.p(95)), ms(l.p(99)),
                ms(l.max()), Integer.toString(l.early())};
    }

    private static String ms(double v) { return Double.isNaN(v) ? "n/a" : Stats.f(v, 1) + " ms"; }

    private void precisionSection(List<ModeRun> modes) throws IOException {
        md.append("\n## 3. Precision\n\n");
        md.append("100 keys, each with a backlog larger than its limits allow: 5 keys `rate=20, period=1s, "
                + "parallelism=1` (bound by parallelism), 95 keys rate ∈ {1,2} per period ∈ {2s,5s,10s} with "
                + "parallelism ∈ {1,2,3} (bound by rate); about 60 deliveries/s in all, loaded while the keys are "
                + "paused, then resumed one after the other. The sink answers after a random 50–400 ms. Rate windows "
                + "are counted as Sluice anchors them (a window opens with the first start after the previous one ended; 2 ms tolerance "
                + "for send→arrival jitter); the sliding-window maximum is informative (fixed windows allow up to "
                + "2×rate in a sliding period). Utilization = delivered ÷ allowed over the key's whole periods since "
                + "its first start while its backlog lasted; allowed = min(rate × periods, parallelism × time ÷ mean "
                + "sink latency + parallelism). *Earliest window start*: by how much a start that overflowed a window "
                + "came before that window's end, as seen at the sink. Sluice anchors windows at its own send instants; "
                + "the sink only sees arrivals, which the *harness jitter* probe calibrates (a request every 100 ms, "
                + "client send → sink arrival): an overflow earlier than the jitter's maximum cannot be told apart "
                + "from the harness's own delay on a loaded machine.\n\n");
        List<String[]> rows = new ArrayList<>();
        for (ModeRun m : modes) {
            if (m.precision == null) continue;
            List<PrecisionScenario.KeyResult> keys = m.precision.keys();
            long rateViolations = keys.stream().filter(PrecisionScenario.KeyResult::rateViolated).count();
            long parViolations = keys.stream().filter(PrecisionScenario.KeyResult::parallelismViolated).count();
            double worstRate = keys.stream().mapToDouble(k -> (double) k.maxStartsPerWindow() / k.rate()).max().orElse(Double.NaN);
            double worstSliding = keys.stream().mapToDouble(k -> (double) k.maxStartsSliding() / k.rate()).max().orElse(Double.NaN);
            double worstPar = keys.stream().mapToDouble(k -> (double) k.maxInFlight() / k.parallelism()).max().orElse(Double.NaN);
            double delivered = keys.stream().filter(k -> !Double.isNaN(k.utilization())).mapToDouble(PrecisionScenario.KeyResult::delivered).sum();
            double allowed = keys.stream().filter(k -> !Double.isNaN(k.utilization())).mapToDouble(PrecisionScenario.KeyResult::allowed).sum();
            double[] utils = keys.stream().mapToDouble(PrecisionScenario.KeyResult::utilization).filter(u -> !Double.isNaN(u)).toArray();
            double minUtil = java.util.Arrays.stream(utils).min().orElse(Double.NaN);
            double medianUtil = Stats.percentile(Stats.sorted(utils), 50);
            long delivering = keys.stream().filter(k -> k.delivered() > 0).count();
            double earliest = keys.stream().mapToDouble(PrecisionScenario.KeyResult::earliestMillis).max().orElse(0);
            Lags jitter = m.precision.jitter();
            double jitterMax = jitter.max();
            long beyondJitter = keys.stream().filter(k -> k.rateViolated() && !(k.earliestMillis() <= jitterMax)).count();
            rows.add(new String[] {m.mode, Long.toString(delivering) + " / " + keys.size(), Long.toString(rateViolations),
                    ms(earliest), ms(jitter.p(50)) + " / " + ms(jitter.p(99)) + " / " + ms(jitterMax),
                    Long.toString(beyondJitter), Long.toString(parViolations), Stats.f(worstRate, 2), Stats.f(worstSliding, 2), Stats.f(worstPar, 2),
                    Stats.pct(delivered / allowed), Stats.pct(medianUtil), Stats.pct(minUtil), m.precision.note()});
            target("0 limit violations (rate windows + parallelism)", m.mode,
                    (rateViolations + parViolations) + " keys strict (" + beyondJitter + " rate beyond harness jitter "
                    + ms(jitterMax) + ", earliest " + ms(earliest) + ")",
                    keys.isEmpty() ? null : rateViolations + parViolations == 0);
            target("≥ 99 % utilization with a backlog", m.mode, Stats.pct(delivered / allowed),
                    allowed > 0 ? delivered / allowed >= 0.99 : null);
            String[] cats = keys.stream().map(k -> "").toArray(String[]::new);
            double[][] values = {
                    keys.stream().mapToDouble(k -> (double) k.maxStartsPerWindow() / k.rate()).toArray(),
                    keys.stream().mapToDouble(k -> (double) k.maxInFlight() / k.parallelism()).toArray(),
                    keys.stream().mapToDouble(PrecisionScenario.KeyResult::utilization).toArray()};
            Plot.bars(results.resolve("precision_" + m.mode + ".png"), "Per key (100 keys), " + m.mode
                    + ": measured ÷ configured (≤ 1 required)", "ratio", cats,
                    new String[] {"max starts/window ÷ rate", "max in flight ÷ parallelism", "utilization"}, values);
        }
        table(md, new String[] {"Mode", "keys delivering", "keys over rate (strict)", "earliest window start",
                "harness jitter p50 / p99 / max", "keys over rate beyond jitter", "keys over parallelism",
                "worst starts/window ÷ rate", "worst sliding ÷ rate", "worst in flight ÷ parallelism",
                "utilization (all keys)", "median key", "worst key", "note"}, rows);
        for (ModeRun m : modes) {
            if (m.precision == null || m.precision.violations().isEmpty()) continue;
            md.append("\nKeys over their limits, ").append(m.mode).append(" (start instants at the sink, ms since the "
                    + "first start of the scenario, + the sink's latency; raw data in bench/target/run/").append(m.mode)
                    .append("/precision-arrivals.csv):\n\n");
            for (String v : m.precision.violations()) md.append("- ").append(v).append('\n');
        }
        for (ModeRun m : modes) if (m.precision != null) md.append("\n![precision ").append(m.mode).append("](precision_").append(m.mode).append(".png)\n");
        for (ModeRun m : modes) {
            if (m.precision == null) continue;
            md.append("\n<details><summary>Per key, ").append(m.mode).append("</summary>\n\n");
            List<String[]> keyRows = new ArrayList<>();
            for (PrecisionScenario.KeyResult k : m.precision.keys()) {
                keyRows.add(new String[] {k.key(), "rate=" + k.rate() + "/" + k.periodSeconds() + "s, parallelism="
                        + k.parallelism(), Integer.toString(k.maxStartsPerWindow()), Integer.toString(k.maxStartsSliding()),
                        Integer.toString(k.maxInFlight()), Long.toString(k.delivered()), Stats.f(k.allowed(), 1),
                        Stats.pct(k.utilization())});
            }
            table(md, new String[] {"key", "limits", "max starts/window", "max sliding", "max in flight",
                    "delivered", "allowed", "utilization"}, keyRows);
            md.append("\n</details>\n");
        }
    }

    private void scaleSection(List<ModeRun> modes) throws IOException {
        md.append("\n## 4. Scale\n\n");
        md.append("Messages published with `rate=1, period=7d`: each key delivers one, the rest waits. Loading is "
                + "time-capped (`/v2/batch`, 3 concurrent calls); the second part runs on top of the first one's "
                + "waiting messages. Live heap = used heap right after a full GC (`jcmd GC.run`). Probe lag: messages "
                + "without a key at 20/s while the rest waits, from publish response to sink. Gatekeeper pass: "
                + "`sluice_gatekeeper_pass_seconds` if Sluice exports it.\n\n");
        List<String[]> rows = new ArrayList<>();
        List<Series> heap = new ArrayList<>();
        for (ModeRun m : modes) {
            if (m.scale == null) continue;
            for (ScaleScenario.Part p : m.scale) {
                String gk = "sluice_gatekeeper_pass_seconds";
                String pass = p.metrics().has(gk)
                        ? "p50 " + ms(p.metrics().quantile(gk, "0.5") * 1000) + ", p99 " + ms(p.metrics().quantile(gk, "0.99") * 1000)
                        + ", max " + ms(p.metrics().get(gk + "_max") * 1000)
                        : "n/a (metric absent)";
                rows.add(new String[] {m.mode, p.name(), Stats.f(p.loaded(), 0) + " / " + Stats.f(p.target(), 0),
                        Stats.f(p.loaded() / p.loadSeconds(), 0), Stats.f(p.waitlist(), 0), Stats.mb(p.maxHeap()),
                        Stats.mb(p.liveHeap()), pass,
                        ms(p.probeLag().p(50)) + " / " + ms(p.probeLag().p(99)) + " / " + ms(p.probeLag().max()),
                        ms(p.apiLatency().p(50)) + " / " + ms(p.apiLatency().p(99)) + " / " + ms(p.apiLatency().max()),
                        p.note()});
                heap.add(p.heap());
                boolean complete = p.loaded() >= p.target();
                double half = m.maxHeapBytes / 2.0;
                target("bounded heap with " + p.name() + " (all loaded, live heap ≤ " + Stats.mb(half) + " of "
                                + Stats.mb(m.maxHeapBytes) + ")", m.mode,
                        Stats.f(p.loaded(), 0) + " loaded, live heap " + Stats.mb(p.liveHeap()),
                        Double.isNaN(p.liveHeap()) ? null : complete && p.liveHeap() <= half);
            }
        }
        table(md, new String[] {"Mode", "Load", "loaded / target", "loaded msgs/s", "waitlist (metric)", "max heap",
                "live heap", "gatekeeper pass", "probe lag p50 / p99 / max", "GET flowControl p50 / p99 / max",
                "note"}, rows);
        if (!heap.isEmpty()) {
            Plot.lines(results.resolve("scale_heap.png"), "Sluice used heap while loading", "seconds", "MB", heap);
            md.append("\n![heap while loading](scale_heap.png)\n");
        }
    }

    static void table(StringBuilder out, String[] header, List<String[]> rows) {
        out.append('|').append(String.join("|", header)).append("|\n|");
        for (String ignored : header) out.append("---|");
        out.append('\n');
        for (String[] r : rows) out.append('|').append(String.join("|", r)).append("|\n");
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    static String machine(Map<String, String> facts) {
        StringBuilder s = new StringBuilder();
        List<String[]> rows = new ArrayList<>();
        facts.forEach((k, v) -> rows.add(new String[] {k, v}));
        table(s, new String[] {"", ""}, rows);
        return s.toString();
    }
}
