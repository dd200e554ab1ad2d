package dev.sluice.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.events.entity.EventId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EventSequenceTest {

    private static final long T = 1_795_000_000_000L;

    private final EventSequence sequence = new EventSequence();

    @Test
    void eventsOfOneMillisecondAreCountedFromItsLeastNumber() {
        assertEquals(List.of(EventId.leastAt(T), EventId.leastAt(T) + 1, EventId.leastAt(T) + 2),
                List.of(sequence.next(T), sequence.next(T), sequence.next(T)));
    }

    @Test
    void aLaterMillisecondStartsItsOwnCount() {
        sequence.next(T);
        sequence.next(T);
        assertEquals(EventId.leastAt(T + 5), sequence.next(T + 5));
    }

    @Test
    void anEventRecordedAfterOneWithALaterClockTakesThatLaterTime() {
        sequence.next(T + 3);
        long next = sequence.next(T);
        assertEquals(EventId.leastAt(T + 3) + 1, next);
        assertEquals(T + 3, EventId.timeOf(next));
    }

    @Test
    void numbersContinueAfterTheHighestStoredOneWhenTheClockWasSetBack() {
        long stored = EventId.leastAt(T + 60_000) + 7;
        sequence.continueAfter(stored);
        assertEquals(stored + 1, sequence.next(T));
        sequence.continueAfter(EventId.leastAt(T));
        assertEquals(stored + 2, sequence.next(T), "a lower stored number changes nothing");
    }

    @Test
    void threadsNeverGetTheSameNumber() {
        Set<Long> numbers = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 40_000).parallel().forEach(i -> numbers.add(sequence.next(T + i % 3)));
        assertEquals(40_000, numbers.size());
    }
}
