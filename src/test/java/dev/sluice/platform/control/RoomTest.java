package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RoomTest {

    private static final long TOTAL = 1_000;

    private final AtomicLong clock = new AtomicLong(10_000);
    private final AtomicReference<Optional<Room.Usage>> resource = new AtomicReference<>(used(500));
    private final AtomicInteger measured = new AtomicInteger();
    private final Room room = new Room(90, () -> {
        measured.incrementAndGet();
        return resource.get();
    }, clock::get, 1_000, NoRoom::onDisk);

    @Test
    void hasRoomUpToTheMaximumAndNotBeyond() {
        resource.set(used(900));
        assertDoesNotThrow(room::require);

        clock.addAndGet(1_000);
        resource.set(used(901));
        NoRoom full = assertThrows(NoRoom.class, room::require);
        assertTrue(full.getMessage().startsWith("storage nearly full: the data directory's disk is 90.1% used"),
                full.getMessage());
    }

    @Test
    void measuresAtMostOncePerInterval() {
        room.require();
        room.require();
        clock.addAndGet(999);
        room.require();
        assertEquals(1, measured.get());

        clock.addAndGet(1);
        room.require();
        assertEquals(2, measured.get());
    }

    @Test
    void roomFreedIsSeenAtTheNextMeasurement() {
        resource.set(used(950));
        assertThrows(NoRoom.class, room::require);

        resource.set(used(100));
        assertThrows(NoRoom.class, room::require, "the last measurement holds within the interval");
        clock.addAndGet(1_000);
        assertDoesNotThrow(room::require);
    }

    @Test
    void aResourceThatCannotBeMeasuredNeverStopsPublishes() {
        resource.set(Optional.empty());
        assertDoesNotThrow(room::require);
        resource.set(Optional.of(new Room.Usage(950, 0)));
        clock.addAndGet(1_000);
        assertDoesNotThrow(room::require);
    }

    @Test
    void aMeasurementThatFailsCountsAsRoom() {
        Room failing = new Room(90, () -> {
            throw new IllegalStateException("no file system");
        }, clock::get, 1_000, NoRoom::onDisk);
        assertDoesNotThrow(failing::require);
    }

    @Test
    void tellsWhetherItIsRefusing() {
        assertFalse(room.isRefusing());
        resource.set(used(950));
        assertThrows(NoRoom.class, room::require);
        assertTrue(room.isRefusing());
        clock.addAndGet(1_000);
        resource.set(used(10));
        room.require();
        assertFalse(room.isRefusing());
    }

    @Test
    void withoutAnOldGenerationByNameTheLastCollectedHeapPoolIsMeasured() {
        List<MemoryPoolMXBean> pools = List.of(pool("Metaspace", MemoryType.NON_HEAP, false),
                pool("Young", MemoryType.HEAP, false), pool("ZHeap", MemoryType.HEAP, true));
        assertEquals("ZHeap", HeapSpace.oldGeneration(pools).orElseThrow().getName());
        assertTrue(HeapSpace.oldGeneration(List.of(pool("Metaspace", MemoryType.NON_HEAP, true))).isEmpty());
    }

    @Test
    void theHeapIsMeasuredInTheOldGeneration() {
        Optional<MemoryPoolMXBean> pool = HeapSpace.oldGeneration(ManagementFactory.getMemoryPoolMXBeans());
        assertTrue(pool.isPresent());
        assertTrue(pool.get().getName().contains("Old") || pool.get().getName().contains("Tenured"),
                pool.get().getName());
    }

    private static MemoryPoolMXBean pool(String name, MemoryType type, boolean collected) {
        return (MemoryPoolMXBean) Proxy.newProxyInstance(RoomTest.class.getClassLoader(),
                new Class<?>[] {MemoryPoolMXBean.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getType" -> type;
                    case "isCollectionUsageThresholdSupported" -> collected;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Optional<Room.Usage> used(long bytes) {
        return Optional.of(new Room.Usage(bytes, TOTAL));
    }
}
