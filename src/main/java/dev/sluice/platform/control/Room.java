package dev.sluice.platform.control;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Whether a resource (a disk, the heap, file handles) has room for more messages: at most {@code maxPercentUsed} of
 * it in use. It is measured at most once per interval, by one thread (a publish must not pay for the measurement); a
 * measurement that cannot be had counts as room, so a resource Sluice cannot inspect never stops publishes.
 */
public final class Room {

    private static final Logger LOG = Logger.getLogger(Room.class.getName());
    /** How often the guards measure their resource, at most. */
    static final long MEASURE_INTERVAL_MILLIS = 1_000;

    /** A measurement: units (bytes, file handles) in use, of the units there are. */
    public record Usage(long used, long total) {

        double percentUsed() {
            return total <= 0 ? 0 : 100.0 * used / total;
        }
    }

    /** The exception that refuses, given the percent in use and the maximum. */
    @FunctionalInterface
    public interface Refusal {
        NoRoom of(double percentUsed, double maxPercentUsed);
    }

    private record Snapshot(long measuredAt, double percentUsed, boolean full) {
    }

    private final double maxPercentUsed;
    private final Supplier<Optional<Usage>> measure;
    private final LongSupplier clockMillis;
    private final long intervalMillis;
    private final Refusal refusal;
    private volatile Snapshot last;

    public Room(double maxPercentUsed, Supplier<Optional<Usage>> measure, LongSupplier clockMillis,
                long intervalMillis, Refusal refusal) {
        this.maxPercentUsed = maxPercentUsed;
        this.measure = measure;
        this.clockMillis = clockMillis;
        this.intervalMillis = intervalMillis;
        this.refusal = refusal;
    }

    /** A guard on the monotonic clock, measuring at most once per {@link #MEASURE_INTERVAL_MILLIS}. */
    public Room(double maxPercentUsed, Supplier<Optional<Usage>> measure, Refusal refusal) {
        this(maxPercentUsed, measure, Room::monotonicMillis, MEASURE_INTERVAL_MILLIS, refusal);
    }

    /** Milliseconds of a clock that never steps back: what the beans measure intervals with. */
    public static long monotonicMillis() {
        return System.nanoTime() / 1_000_000;
    }

    /** Throws {@link NoRoom} while more than the maximum is in use. */
    public void require() {
        Snapshot snapshot = current();
        if (snapshot.full()) {
            throw refusal.of(snapshot.percentUsed(), maxPercentUsed);
        }
    }

    /** Whether the last measurement found more than the maximum in use. */
    public boolean isRefusing() {
        Snapshot snapshot = last;
        return snapshot != null && snapshot.full();
    }

    private Snapshot current() {
        Snapshot snapshot = last;
        if (snapshot != null && clockMillis.getAsLong() - snapshot.measuredAt() < intervalMillis) {
            return snapshot;
        }
        synchronized (this) {
            long now = clockMillis.getAsLong();
            if (last == null || now - last.measuredAt() >= intervalMillis) {
                last = measured(now, last);
            }
            return last;
        }
    }

    private Snapshot measured(long now, Snapshot previous) {
        double percentUsed = usage().map(Usage::percentUsed).orElse(0.0);
        Snapshot snapshot = new Snapshot(now, percentUsed, percentUsed > maxPercentUsed);
        if (snapshot.full() != (previous != null && previous.full())) {
            LOG.warning(() -> snapshot.full()
                    ? "Refusing new messages: " + refusal.of(percentUsed, maxPercentUsed).getMessage()
                    : "Accepting new messages again");
        }
        return snapshot;
    }

    private Optional<Usage> usage() {
        try {
            return measure.get();
        } catch (RuntimeException unmeasurable) {
            return Optional.empty();
        }
    }
}
