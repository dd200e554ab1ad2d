package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DiskRoomTest {

    private static final long TOTAL = 1_000;

    private final AtomicLong clock = new AtomicLong(10_000);
    private final AtomicReference<Optional<DiskRoom.Usage>> disk = new AtomicReference<>(usedBytes(500));
    private final AtomicInteger asked = new AtomicInteger();
    private final DiskRoom room = new DiskRoom(90, () -> {
        asked.incrementAndGet();
        return disk.get();
    }, clock::get, 1_000);

    @Test
    void hasRoomUpToTheMaximumAndNotBeyond() {
        disk.set(usedBytes(900));
        assertDoesNotThrow(room::require);

        clock.addAndGet(1_000);
        disk.set(usedBytes(901));
        NoRoom full = assertThrows(NoRoom.class, room::require);
        assertTrue(full.getMessage().contains("90.1% used"), full.getMessage());
    }

    @Test
    void asksTheDiskAtMostOncePerInterval() {
        room.require();
        room.require();
        clock.addAndGet(999);
        room.require();
        assertEquals(1, asked.get());

        clock.addAndGet(1);
        room.require();
        assertEquals(2, asked.get());
    }

    @Test
    void roomFreedIsSeenAtTheNextCheck() {
        disk.set(usedBytes(950));
        assertThrows(NoRoom.class, room::require);

        disk.set(usedBytes(100));
        assertThrows(NoRoom.class, room::require, "the last answer holds within the interval");
        clock.addAndGet(1_000);
        assertDoesNotThrow(room::require);
    }

    @Test
    void aDiskThatCannotBeAskedNeverStopsPublishes() {
        disk.set(Optional.empty());
        assertDoesNotThrow(room::require);
        disk.set(Optional.of(new DiskRoom.Usage(0, 0)));
        clock.addAndGet(1_000);
        assertDoesNotThrow(room::require);
    }

    private static Optional<DiskRoom.Usage> usedBytes(long used) {
        return Optional.of(new DiskRoom.Usage(TOTAL - used, TOTAL));
    }
}
