package dev.sluice.retention.control;

import dev.sluice.events.entity.EventId;
import dev.sluice.retention.entity.RetentionPolicy;
import java.util.OptionalLong;

/**
 * The logs and records retention deletes beside the messages, each with its cutoff, the query that finds rows over
 * (their ids, by {@code :before}, see {@link #searchBound}) and the statement that deletes those of them still over.
 */
public enum Prunable {

    /** an event's number holds its time ({@link EventId}): the search walks the primary key */
    MESSAGE_EVENTS("SELECT e.id FROM MessageEvent e WHERE e.id < :before ORDER BY e.id",
            "DELETE FROM MessageEvent e WHERE e.id IN :ids", false) {
        @Override
        Object searchBound(long before) {
            return EventId.leastAt(before);
        }
    },
    KEY_EVENTS("SELECT e.id FROM KeyEvent e WHERE e.time < :before",
            "DELETE FROM KeyEvent e WHERE e.id IN :ids", false),
    /** a deduplication id's row is reused (and its time renewed) when its id is published again after its window */
    DEDUPLICATIONS("SELECT d.id FROM Deduplication d WHERE d.createdAt < :before",
            "DELETE FROM Deduplication d WHERE d.id IN :ids AND d.createdAt < :before", true) {
        /** a window of zero deduplicates nothing, so no row is of use */
        @Override
        OptionalLong cutoff(RetentionPolicy policy, long now) {
            return OptionalLong.of(now - policy.deduplications().toMillis());
        }
    };

    final String search;
    final String deletion;
    final boolean deletionRechecksTime;

    Prunable(String search, String deletion, boolean deletionRechecksTime) {
        this.search = search;
        this.deletion = deletion;
        this.deletionRechecksTime = deletionRechecksTime;
    }

    /** The value of {@code :before} in the search for rows older than {@code before}. */
    Object searchBound(long before) {
        return before;
    }

    /** Rows older than the answer are over at {@code now}; empty: none is. */
    OptionalLong cutoff(RetentionPolicy policy, long now) {
        return RetentionPolicy.cutoff(policy.finished(), now);
    }
}
