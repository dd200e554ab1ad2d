package dev.sluice.events.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventIdTest {

    private static final long T = 1_795_000_000_000L;

    @Test
    void aNumberTellsItsTime() {
        assertEquals(T, EventId.timeOf(EventId.leastAt(T)));
        assertEquals(T, EventId.timeOf(EventId.leastAt(T) + (1 << EventId.COUNT_BITS) - 1));
        assertEquals(T + 1, EventId.timeOf(EventId.leastAfter(T)));
    }

    @Test
    void numbersOfATimeLieBetweenItsLeastAndTheLeastAfterIt() {
        long last = EventId.leastAt(T) + (1 << EventId.COUNT_BITS) - 1;
        assertTrue(EventId.leastAt(T) > EventId.leastAt(T - 1) + (1 << EventId.COUNT_BITS) - 1);
        assertEquals(last + 1, EventId.leastAfter(T));
    }

    @Test
    void boundsOfTimesBeyondWhatANumberHoldsLetEverythingOrNothingThrough() {
        assertEquals(Long.MAX_VALUE, EventId.leastAt(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, EventId.leastAfter(Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, EventId.leastAfter(EventId.MAX_TIME));
        assertEquals(Long.MIN_VALUE, EventId.leastAt(Long.MIN_VALUE));
        assertTrue(EventId.leastAt(-1) < 0, "before 1970 is before every number");
        assertEquals(-1, EventId.timeOf(EventId.leastAt(-1)));
        assertTrue(EventId.leastAt(EventId.MAX_TIME) > EventId.leastAt(T));
    }
}
