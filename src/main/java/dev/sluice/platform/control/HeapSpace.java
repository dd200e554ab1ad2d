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
 * Room in the heap: the old generation as its last collection left it (what survives there is what the embedded
 * broker's queues and the flow-control state hold; young collections, which leave old garbage behind, do not count).
 * A full heap stalls every request, deliveries and flow-control reads too, while a refused publish can be retried.
 * Each key's holding queue costs the embedded broker about 25 KB of the heap it shares with Sluice.
 */
@ApplicationScoped
public class HeapSpace {

    private static final long MEASURE_INTERVAL_MILLIS = 1_000;

    @Inject
    @ConfigProperty(name = "sluice.memory.max-heap-usage", defaultValue = "80")
    double maxHeapUsagePercent;

    private Room room;

    @PostConstruct
    void init() {
        Optional<MemoryPoolMXBean> oldGeneration = oldGeneration(ManagementFactory.getMemoryPoolMXBeans());
        room = new Room(maxHeapUsagePercent, () -> oldGeneration.map(HeapSpace::afterLastCollection),
                () -> System.nanoTime() / 1_000_000, MEASURE_INTERVAL_MILLIS, NoRoom::inHeap);
    }

    /** Throws {@link NoRoom} while the last collection of the old generation left it fuller than allowed. */
    public void requireRoom() {
        room.require();
    }

    /** The heap pool collected least often: G1's "Old Gen", the parallel and serial collectors' old or tenured one. */
    static Optional<MemoryPoolMXBean> oldGeneration(List<MemoryPoolMXBean> pools) {
        List<MemoryPoolMXBean> collected = pools.stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported())
                .toList();
        return collected.stream()
                .filter(pool -> pool.getName().contains("Old") || pool.getName().contains("Tenured"))
                .findFirst()
                .or(() -> collected.isEmpty() ? Optional.empty() : Optional.of(collected.get(collected.size() - 1)));
    }

    private static Room.Usage afterLastCollection(MemoryPoolMXBean pool) {
        MemoryUsage after = pool.getCollectionUsage();
        long max = after.getMax() > 0 ? after.getMax() : Runtime.getRuntime().maxMemory();
        return new Room.Usage(after.getUsed(), max);
    }
}
