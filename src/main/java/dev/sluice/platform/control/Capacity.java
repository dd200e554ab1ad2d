package dev.sluice.platform.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Whether Sluice can take new messages: refused ({@link NoRoom}, {@code 503}) while its disk or heap is nearly full.
 * Asked where new messages come in from the API (publish, batch, enqueue, dead-letter retries); what Sluice makes
 * itself (retries, callbacks, schedule firings) is never refused, so no accepted work is dropped.
 */
@ApplicationScoped
public class Capacity {

    @Inject
    DiskSpace disk;

    @Inject
    HeapSpace heap;

    public void requireRoom() {
        disk.requireRoom();
        heap.requireRoom();
    }
}
