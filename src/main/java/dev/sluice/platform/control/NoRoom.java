package dev.sluice.platform.control;

import jakarta.ejb.ApplicationException;
import java.util.Locale;

/**
 * Sluice's disk, heap or file handles are nearly used up: new messages are refused, nothing of them stored, until
 * there is room.
 */
@ApplicationException(rollback = true)
public class NoRoom extends RuntimeException {

    private NoRoom(String message) {
        super(message);
    }

    static NoRoom onDisk(double percentUsed, double maxPercentUsed) {
        return new NoRoom(String.format(Locale.ROOT, "storage nearly full: the data directory's disk is %.1f%% used "
                + "(at most %.0f%% is allowed, sluice.storage.max-disk-usage); no message was accepted, try again "
                + "later", percentUsed, maxPercentUsed));
    }

    static NoRoom inHeap(double percentUsed, double maxPercentUsed) {
        return new NoRoom(String.format(Locale.ROOT, "memory nearly full: the heap's old generation is %.1f%% used "
                + "after its last collection (at most %.0f%% is allowed, sluice.memory.max-heap-usage); no message "
                + "was accepted, try again later", percentUsed, maxPercentUsed));
    }

    static NoRoom inFileHandles(double percentUsed, double maxPercentUsed) {
        return new NoRoom(String.format(Locale.ROOT, "file handles nearly used up: %.1f%% of the process's file "
                + "handles are open (at most %.0f%% is allowed, sluice.storage.max-file-handle-usage); no message "
                + "was accepted, try again later", percentUsed, maxPercentUsed));
    }
}
