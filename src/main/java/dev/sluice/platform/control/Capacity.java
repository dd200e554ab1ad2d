package dev.sluice.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether Sluice can take new messages: refused ({@link NoRoom}, {@code 503}) while its disk, heap or file handles
 * are nearly used up.
 * Asked where new messages come in from the API (publish, batch, enqueue, dead-letter retries); what Sluice makes
 * itself (retries, callbacks, schedule firings) is never refused, so no accepted work is dropped.
 */
@ApplicationScoped
public class Capacity {

    @Inject
    DiskSpace disk;

    @Inject
    HeapSpace heap;

    @Inject
    FileHandles fileHandles;

    public void requireRoom() {
        disk.requireRoom();
        heap.requireRoom();
        fileHandles.requireRoom();
    }
}
