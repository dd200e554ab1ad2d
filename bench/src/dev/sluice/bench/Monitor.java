package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples, once a second while a phase runs: CPU of the watched processes and of the machine, Sluice's heap (from
 * its metrics, when given), and the phase's published/delivered counts; prints a progress line every few seconds.
 */
final class Monitor implements AutoCloseable {

    record Sample(long nanos, double cpuSeconds, double machineBusySeconds, double heapBytes, long published,
                  long delivered) {}

    private final String label;
    private final long[] pids;
    private final SluiceApi heapSource;
    private final LongSupplier published, delivered;
    private final List<Sample> samples = new ArrayList<>();
    private final long origin = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    Monitor(String label, long[] pids, SluiceApi heapSource, LongSupplier published, LongSupplier delivered) {
        this.label = label;
        this.pids = pids;
        this.heapSource = heapSource;
        this.published = published;
        this.delivered = delivered;
        sample();
        thread = new Thread(this::run, "monitor");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        int n = 0;
        while (running) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            Sample s = sample();
            if (++n % 3 == 0) print(s);
        }
    }

    private Sample sample() {
        double cpu = 0;
        for (long pid : pids) {
            double c = ProcessCpu.seconds(pid);
            if (!Double.isNaN(c)) cpu += c;
        }
        Sample s = new Sample(System.nanoTime(), cpu, ProcessCpu.machineBusySeconds(),
                heapSource == null ? Double.NaN : heapSource.usedHeapBytes(), published.getAsLong(),
                delivered.getAsLong());
        synchronized (samples) {
            samples.add(s);
        }
        return s;
    }

    private void print(Sample s) {
        List<Sample> all = samples();
        Sample before = all.size() > 3 ? all.get(all.size() - 4) : all.get(0);
        double dt = Math.max(1e-3, (s.nanos() - before.nanos()) / 1e9);
        System.out.printf("  [%s] %5.0fs  published %,d (%,.0f/s)  delivered %,d (%,.0f/s)  cpu %.2f cores%s  load %s%n",
                label, (s.nanos() - origin) / 1e9, s.published(), (s.published() - before.published()) / dt,
                s.delivered(), (s.delivered() - before.delivered()) / dt, (s.cpuSeconds() - before.cpuSeconds()) / dt,
                Double.isNaN(s.heapBytes()) ? "" : "  heap " + Stats.mb(s.heapBytes()), ProcessCpu.loadAverage());
    }

    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    /** Average cores used by the watched processes between two instants (nearest samples). */
    double cores(long fromNanos, long toNanos) { return rate(fromNanos, toNanos, Sample::cpuSeconds); }

    /** Average busy cores of the whole machine (every process, other users' too) between two instants. */
    double machineCores(long fromNanos, long toNanos) { return rate(fromNanos, toNanos, Sample::machineBusySeconds); }

    private double rate(long from, long to, java.util.function.ToDoubleFunction<Sample> value) {
        Sample a = nearest(from), b = nearest(to);
        if (a == null || b == null || b.nanos() <= a.nanos()) return Double.NaN;
        return (value.applyAsDouble(b) - value.applyAsDouble(a)) / ((b.nanos() - a.nanos()) / 1e9);
    }

    private Sample nearest(long nanos) {
        Sample best = null;
        for (Sample s : samples()) if (best == null || Math.abs(s.nanos() - nanos) < Math.abs(best.nanos() - nanos)) best = s;
        return best;
    }

    double maxHeap() {
        return samples().stream().mapToDouble(Sample::heapBytes).filter(h -> !Double.isNaN(h)).max().orElse(Double.NaN);
    }

    /** Heap over time, x = seconds since this monitor started. */
    Series heapSeries(String name) {
        Series s = new Series(name);
        for (Sample x : samples()) if (!Double.isNaN(x.heapBytes())) s.add((x.nanos() - origin) / 1e9, x.heapBytes() / 1048576.0);
        return s;
    }

    long origin() { return origin; }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sample();
    }
}
