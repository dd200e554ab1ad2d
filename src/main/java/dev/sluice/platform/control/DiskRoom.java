package dev.sluice.platform.control;

import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Whether a disk has room for more messages: at most {@code maxPercentUsed} of it in use. The disk is asked at most
 * once per interval (a publish must not pay a file-system call); an answer that cannot be had counts as room, so a
 * disk Sluice cannot inspect never stops publishes.
 */
public final class DiskRoom {

    /** What the disk said: bytes free for this process and bytes in all. */
    public record Usage(long usableBytes, long totalBytes) {

        double percentUsed() {
            return totalBytes <= 0 ? 0 : 100.0 * (totalBytes - usableBytes) / totalBytes;
        }
    }

    private final double maxPercentUsed;
    private final Supplier<Optional<Usage>> disk;
    private final LongSupplier clockMillis;
    private final long intervalMillis;
    private volatile long checkedAt;
    private volatile Optional<Usage> lastUsage;

    public DiskRoom(double maxPercentUsed, Supplier<Optional<Usage>> disk, LongSupplier clockMillis,
                    long intervalMillis) {
        this.maxPercentUsed = maxPercentUsed;
        this.disk = disk;
        this.clockMillis = clockMillis;
        this.intervalMillis = intervalMillis;
    }

    /** Throws {@link NoRoom} while more than the maximum is in use. */
    public void require() {
        Optional<Usage> usage = usage();
        if (usage.isPresent() && usage.get().percentUsed() > maxPercentUsed) {
            throw NoRoom.onDisk(usage.get().percentUsed(), maxPercentUsed);
        }
    }

    private Optional<Usage> usage() {
        long now = clockMillis.getAsLong();
        Optional<Usage> usage = lastUsage;
        if (usage == null || now - checkedAt >= intervalMillis) {
            usage = disk.get();
            lastUsage = usage;
            checkedAt = now;
        }
        return usage;
    }
}
