package dev.sluice.retention.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Which messages a retention pass reads. A message's id begins with the time it was made, and every message over was
 * made before the pass's cutoff, so the messages are read in id order: each pass reads those made since the cutoff of
 * the pass before (the frontier moves on) and re-reads at most {@code sweepRows} of those read before (the sweep),
 * going on where the previous pass stopped and starting again from the first once it reaches the frontier.
 * <p>
 * A message read while it is not over yet is thus read again once per sweep, not once per pass. One that has ended
 * (delivered after retries, a delay, a wait in its key's waitlist) will be over at a known time if it does not change:
 * the walk remembers it (up to {@code laterCapacity} of them, the first read) and reads it again then, so it is
 * deleted on time. The others (still waiting; taken out of the DLQ after the walk read them; those beyond the
 * capacity) are deleted when the sweep comes to them, up to a sweep late. Dead letters are found through their DLQ
 * ids instead ({@link Pruning#pruneDeadLetters}).
 */
final class MessageWalk {

    /** Reads messages, and deletes those of them that are over. */
    interface Reader {

        /**
         * Up to {@code size} messages in id order after {@code after} (null: from the first), up to {@code through}
         * (inclusive) or, when it is null, up to the pass's cutoff.
         */
        Pruning.Batch read(String after, String through, int size);

        /** These messages, those of them still stored. */
        Pruning.Batch read(List<String> ids);
    }

    private final int batchSize;
    private final int sweepRows;
    private final int laterCapacity;
    /** every message up to this id (inclusive) was read by a pass; null: none yet */
    private String frontier;
    /** where the sweep goes on from; null: from the first */
    private String sweep;
    private final PriorityQueue<Pruning.Later> later = new PriorityQueue<>(
            Comparator.comparingLong(Pruning.Later::overAt));
    private final Set<String> laterIds = new HashSet<>();

    MessageWalk(int batchSize, int sweepRows, int laterCapacity) {
        this.batchSize = batchSize;
        this.sweepRows = sweepRows;
        this.laterCapacity = laterCapacity;
    }

    /**
     * One pass at {@code now}: answers how many messages it deleted. If the reader fails, the walk keeps what its
     * batches before read, and the next pass goes on from there.
     */
    synchronized int pass(Reader reader, long now) {
        boolean readBefore = frontier != null;
        int deleted = readDue(reader, now) + readNew(reader);
        return readBefore ? deleted + sweep(reader) : deleted;
    }

    /** how many ended messages the walk remembers to read again once they are over */
    synchronized int remembered() {
        return later.size();
    }

    private int readDue(Reader reader, long now) {
        int deleted = 0;
        while (!later.isEmpty() && later.peek().overAt() < now) {
            List<String> due = new ArrayList<>();
            while (due.size() < batchSize && !later.isEmpty() && later.peek().overAt() < now) {
                String id = later.poll().id();
                laterIds.remove(id);
                due.add(id);
            }
            deleted += remember(readAgainOnFailure(reader, due, now));
        }
        return deleted;
    }

    /** Those not read stay remembered, due at once: the next pass reads them. */
    private Pruning.Batch readAgainOnFailure(Reader reader, List<String> due, long now) {
        try {
            return reader.read(due);
        } catch (RuntimeException e) {
            due.forEach(id -> keep(new Pruning.Later(id, now - 1)));
            throw e;
        }
    }

    private int readNew(Reader reader) {
        int deleted = 0;
        Pruning.Batch batch;
        do {
            batch = reader.read(frontier, null, batchSize);
            deleted += remember(batch);
            if (batch.read() > 0) {
                frontier = batch.last();
            }
        } while (batch.read() == batchSize);
        return deleted;
    }

    private int sweep(Reader reader) {
        int deleted = 0;
        int left = sweepRows;
        while (left > 0) {
            int size = Math.min(batchSize, left);
            Pruning.Batch batch = reader.read(sweep, frontier, size);
            deleted += remember(batch);
            left -= batch.read();
            if (batch.read() < size || frontier.equals(batch.last())) {
                sweep = null;
                break;
            }
            sweep = batch.last();
        }
        return deleted;
    }

    /** Remembers the batch's ended messages not over yet, as many as there is room for; answers its deletions. */
    private int remember(Pruning.Batch batch) {
        batch.later().forEach(this::keep);
        return batch.deleted();
    }

    private void keep(Pruning.Later entry) {
        if (later.size() < laterCapacity && laterIds.add(entry.id())) {
            later.add(entry);
        }
    }
}
