package dev.sluice.events.entity;

/**
 * The number of an event, which is also its time: milliseconds since the epoch shifted left by 20 bits, plus a
 * count of the events numbered before it in the same millisecond. Events sort by time in their primary key, so
 * neither a separate time column nor an index on one is written with each event (three per delivered message).
 */
public final class EventId {

    static final int COUNT_BITS = 20;
    /** the last millisecond a number can hold (the year 2248) */
    static final long MAX_TIME = Long.MAX_VALUE >>> COUNT_BITS;

    private EventId() {
    }

    /** The least number of an event at this time or later: every event numbered earlier sorts before it. */
    public static long leastAt(long epochMillis) {
        if (epochMillis > MAX_TIME) {
            return Long.MAX_VALUE;
        }
        return epochMillis < -MAX_TIME ? Long.MIN_VALUE : epochMillis << COUNT_BITS;
    }

    /** The least number of an event after this millisecond. */
    public static long leastAfter(long epochMillis) {
        return epochMillis >= MAX_TIME ? Long.MAX_VALUE : leastAt(epochMillis + 1);
    }

    public static long timeOf(long id) {
        return id >> COUNT_BITS;
    }
}
