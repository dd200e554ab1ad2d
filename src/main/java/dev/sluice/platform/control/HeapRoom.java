package dev.sluice.platform.control;

/**
 * Whether the heap has room for more messages: at most {@code maxPercentUsed} of it still in use after the last
 * garbage collection. What survives a collection is what the embedded broker's queues and the flow-control state
 * hold; past a point the collector runs back to back and nothing gets done, so new messages are refused before.
 */
public final class HeapRoom {

    private final double maxPercentUsed;
    private volatile double percentUsed;

    public HeapRoom(double maxPercentUsed) {
        this.maxPercentUsed = maxPercentUsed;
    }

    /** What a collection left: bytes still used in the heap, of the most it may grow to. */
    public void afterCollection(long usedBytes, long maxBytes) {
        percentUsed = maxBytes <= 0 ? 0 : 100.0 * usedBytes / maxBytes;
    }

    /** Throws {@link NoRoom} while the last collection left more than the maximum in use. */
    public void require() {
        double used = percentUsed;
        if (used > maxPercentUsed) {
            throw NoRoom.inHeap(used, maxPercentUsed);
        }
    }
}
