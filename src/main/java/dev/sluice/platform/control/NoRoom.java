package dev.sluice.platform.control;

import jakarta.ejb.ApplicationException;
import java.util.Locale;

/**
 * Sluice's disk, heap or file handles are nearly used up, or the broker does not take messages: new messages are
 * refused, nothing of them stored, until there is room.
 */
@ApplicationException(rollback = true)
public class NoRoom extends RuntimeException {

    private NoRoom(String message) {
        super(message);
    }

    static NoRoom onDisk(double percentUsed, double maxPercentUsed) {
        return refused(String.format(Locale.ROOT, "storage nearly full: the data directory's disk is %.1f%% used",
                percentUsed), "sluice.storage.max-disk-usage", maxPercentUsed);
    }

    static NoRoom inHeap(double percentUsed, double maxPercentUsed) {
        return refused(String.format(Locale.ROOT, "memory nearly full: the heap's old generation is %.1f%% used after "
                + "its last collection", percentUsed), "sluice.memory.max-heap-usage", maxPercentUsed);
    }

    static NoRoom inFileHandles(double percentUsed, double maxPercentUsed) {
        return refused(String.format(Locale.ROOT, "file handles nearly used up: %.1f%% of the process's file handles "
                + "are open", percentUsed), "sluice.storage.max-file-handle-usage", maxPercentUsed);
    }

    /** The broker has not taken the last stored messages yet (a standalone broker down or restarting). */
    public static NoRoom inBroker() {
        return new NoRoom("the broker is not taking messages right now (stored messages wait to be sent to it); no "
                + "message was accepted, try again later");
    }

    private static NoRoom refused(String state, String property, double maxPercentUsed) {
        return new NoRoom(state + String.format(Locale.ROOT, " (at most %.0f%% is allowed, %s); no message was "
                + "accepted, try again later", maxPercentUsed, property));
    }
}
