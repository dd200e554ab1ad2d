package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Measured on this process's real handles: it has some open, and far fewer than it may. */
class FileHandlesTest {

    @Test
    void refusesWhileMoreHandlesAreOpenThanAllowed() {
        NoRoom refused = assertThrows(NoRoom.class, handlesAllowingPercent(0)::requireRoom);

        assertTrue(refused.getMessage().startsWith("file handles nearly used up: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("sluice.storage.max-file-handle-usage"), refused.getMessage());
    }

    @Test
    void hasRoomWhileFewHandlesAreOpen() {
        assertDoesNotThrow(handlesAllowingPercent(80)::requireRoom);
    }

    private static FileHandles handlesAllowingPercent(double percent) {
        FileHandles handles = new FileHandles();
        handles.maxFileHandleUsagePercent = percent;
        handles.init();
        return handles;
    }
}
