package dev.sluice.events.control;

import dev.sluice.events.entity.EventId;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers events ({@link EventId}) in the order they are recorded: each number is above the last, and no earlier
 * than its event's time. An event recorded after one with a later clock reading (another thread's) takes that later
 * millisecond, so numbers and times never disagree on order.
 */
final class EventSequence {

    private final AtomicLong last = new AtomicLong();

    long next(long epochMillis) {
        return last.accumulateAndGet(EventId.leastAt(epochMillis), (previous, least) -> Math.max(previous + 1, least));
    }

    /** Numbers from now on are above {@code id}: the highest stored, so a clock set back never repeats one. */
    void continueAfter(long id) {
        last.accumulateAndGet(id, Math::max);
    }
}
