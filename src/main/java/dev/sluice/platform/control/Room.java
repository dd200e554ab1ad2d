package dev.sluice.platform.control;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Whether a resource (a disk, the heap) has room for more messages: at most {@code maxPercentUsed} of it in use. It
 * is measured at most once per interval (a publish must not pay for the measurement); a measurement that cannot be
 * had counts as room, so a resource Sluice cannot inspect never stops publishes.
 */
public final class Room {

    private static final Logger LOG = Logger.getLogger(Room.class.getName());

    /** A measurement: bytes in use, of the bytes there are. */
    public record Usage(long usedBytes, long totalBytes) {

        double percentUsed() {
            return totalBytes <= 0 ? 0 : 100.0 * usedBytes / totalBytes;
        }
    }

    private final double maxPercentUsed;
    private final Supplier<Optional<Usage>> measure;
    private final LongSupplier clockMillis;
    private final long intervalMillis;
    private final BiFunction<Double, Double, NoRoom> refusal;
    private volatile long measuredAt;
    private volatile Optional<Usage> lastUsage;
    private volatile boolean refusing;

    /**
     * @param refusal what to throw, given the percent used and the maximum
     */
    public Room(double maxPercentUsed, Supplier<Optional<Usage>> measure, LongSupplier clockMillis,
                long intervalMillis, BiFunction<Double, Double, NoRoom> refusal) {
        this.maxPercentUsed = maxPercentUsed;
        this.measure = measure;
        this.clockMillis = clockMillis;
        this.intervalMillis = intervalMillis;
        this.refusal = refusal;
    }

    /** Throws {@link NoRoom} while more than the maximum is in use. */
    public void require() {
        Optional<Usage> usage = usage();
        boolean full = usage.isPresent() && usage.get().percentUsed() > maxPercentUsed;
        if (full != refusing) {
            refusing = full;
            LOG.warning(() -> full ? "Refusing new messages: " + refusal.apply(usage.get().percentUsed(),
                    maxPercentUsed).getMessage() : "Accepting new messages again");
        }
        if (full) {
            throw refusal.apply(usage.get().percentUsed(), maxPercentUsed);
        }
    }

    private Optional<Usage> usage() {
        long now = clockMillis.getAsLong();
        Optional<Usage> usage = lastUsage;
        if (usage == null || now - measuredAt >= intervalMillis) {
            usage = measure.get();
            lastUsage = usage;
            measuredAt = now;
        }
        return usage;
    }
}
