package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HeapRoomTest {

    private final HeapRoom room = new HeapRoom(90);

    @Test
    void hasRoomBeforeTheFirstCollection() {
        assertDoesNotThrow(room::require);
    }

    @Test
    void followsWhatEachCollectionLeft() {
        room.afterCollection(900, 1_000);
        assertDoesNotThrow(room::require);

        room.afterCollection(950, 1_000);
        NoRoom full = assertThrows(NoRoom.class, room::require);
        assertTrue(full.getMessage().startsWith("memory nearly full: 95.0% of the heap"), full.getMessage());

        room.afterCollection(400, 1_000);
        assertDoesNotThrow(room::require);
    }

    @Test
    void anUnknownMaximumNeverStopsPublishes() {
        room.afterCollection(950, -1);
        assertDoesNotThrow(room::require);
    }
}
