package dev.sluice.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Room in the heap: the old generation as its last collection left it. What survives there is what the embedded
 * broker's queues (about 25 KB per key with waiting messages) and the flow-control state hold; young collections,
 * which leave old garbage behind, do not update it. A full heap stalls every request, deliveries and flow-control
 * reads too, while a refused publish can be retried.
 */
@ApplicationScoped
public class HeapSpace {

    /**
     * While refusing, a full collection at most this often: the collections that update the old generation's
     * figure (G1's mixed ones) still count garbage they left, and without a full one the refusals could outlast it.
     */
    private static final long FULL_COLLECTION_INTERVAL_MILLIS = 60_000;

    @Inject
    @ConfigProperty(name = "sluice.memory.max-heap-usage", defaultValue = "80")
    double maxHeapUsagePercent;

    private Room room;
    private volatile long collectedAt = Long.MIN_VALUE / 2;

    @PostConstruct
    void init() {
        Optional<MemoryPoolMXBean> oldGeneration = oldGeneration(ManagementFactory.getMemoryPoolMXBeans());
        room = new Room(maxHeapUsagePercent, () -> oldGeneration.flatMap(this::afterLastCollection), NoRoom::inHeap);
    }

    /** Throws {@link NoRoom} while the last collection of the old generation left it fuller than allowed. */
    public void requireRoom() {
        room.require();
    }

    /**
     * The old generation's pool by name (G1's "Old Gen", the parallel and serial collectors' old or tenured
     * generation, generational ZGC's "Old Generation"); for collectors with a single collected pool (ZGC, Shenandoah),
     * the last heap pool with a collection usage.
     */
    static Optional<MemoryPoolMXBean> oldGeneration(List<MemoryPoolMXBean> pools) {
        List<MemoryPoolMXBean> collected = pools.stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported())
                .toList();
        return collected.stream()
                .filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured"))
                .findFirst()
                .or(() -> collected.isEmpty() ? Optional.empty() : Optional.of(collected.get(collected.size() - 1)));
    }

    private Optional<Room.Usage> afterLastCollection(MemoryPoolMXBean pool) {
        long now = Room.monotonicMillis();
        if (room.isRefusing() && now - collectedAt >= FULL_COLLECTION_INTERVAL_MILLIS) {
            collectedAt = now;
            System.gc();
        }
        MemoryUsage after = pool.getCollectionUsage();
        if (after == null) {
            return Optional.empty();
        }
        long max = after.getMax() > 0 ? after.getMax() : Runtime.getRuntime().maxMemory();
        return Optional.of(new Room.Usage(after.getUsed(), max));
    }
}
