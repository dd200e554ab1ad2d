package dev.sluice.retention.control;

import dev.sluice.retention.entity.RetentionPolicy;
import java.time.Duration;
import java.util.function.Function;

/**
 * The logs and records retention deletes beside the messages, each with the query that finds the oldest of its rows
 * over (their ids, by {@code :before}) and the statement that deletes those of them still over.
 */
public enum Prunable {

    MESSAGE_EVENTS(RetentionPolicy::finished,
            "SELECT e.id FROM MessageEvent e WHERE e.time < :before ORDER BY e.time",
            "DELETE FROM MessageEvent e WHERE e.id IN :ids"),
    KEY_EVENTS(RetentionPolicy::finished,
            "SELECT e.id FROM KeyEvent e WHERE e.time < :before",
            "DELETE FROM KeyEvent e WHERE e.id IN :ids"),
    /** a deduplication id's row is reused (and its time renewed) when its id is published again after its window */
    DEDUPLICATIONS(RetentionPolicy::deduplications,
            "SELECT d.id FROM Deduplication d WHERE d.createdAt < :before",
            "DELETE FROM Deduplication d WHERE d.id IN :ids AND d.createdAt < :before");

    private final Function<RetentionPolicy, Duration> kept;
    final String search;
    final String deletion;

    Prunable(Function<RetentionPolicy, Duration> kept, String search, String deletion) {
        this.kept = kept;
        this.search = search;
        this.deletion = deletion;
    }

    Duration kept(RetentionPolicy policy) {
        return kept.apply(policy);
    }
}
