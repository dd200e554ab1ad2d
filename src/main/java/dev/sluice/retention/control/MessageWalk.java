package dev.sluice.retention.control;

/**
 * Which messages a retention pass reads. A message's id begins with the time it was made, and every message over was
 * made before the pass's cutoff, so the messages are read in id order: each pass reads those made since the cutoff of
 * the pass before (the frontier moves on) and re-reads at most {@code sweepRows} of those read before (the sweep),
 * going on where the previous pass stopped and starting again from the first once it reaches the frontier.
 * <p>
 * What a pass keeps among old messages (those still waiting, dead letters younger than their retention, messages
 * whose last change came late) is thus read again once per sweep, not once per pass. The price: such a message that
 * becomes over is deleted when the sweep comes to it, up to a sweep's length late. Dead letters are found through
 * their DLQ ids instead, on time ({@link Pruning#pruneDeadLetters}).
 */
final class MessageWalk {

    /**
     * Reads up to {@code size} messages in id order after {@code after} (null: from the first), up to
     * {@code through} (inclusive) or, when it is null, up to the pass's cutoff, and deletes those that are over.
     */
    @FunctionalInterface
    interface Reader {
        Pruning.Batch read(String after, String through, int size);
    }

    private final int batchSize;
    private final int sweepRows;
    /** every message up to this id (inclusive) was read by a pass; null: none yet */
    private String frontier;
    /** where the sweep goes on from; null: from the first */
    private String sweep;

    MessageWalk(int batchSize, int sweepRows) {
        this.batchSize = batchSize;
        this.sweepRows = sweepRows;
    }

    /**
     * One pass: answers how many messages it deleted. If the reader fails, the walk keeps what its batches before
     * read, and the next pass goes on from there.
     */
    synchronized int pass(Reader reader) {
        boolean readBefore = frontier != null;
        int deleted = readNew(reader);
        return readBefore ? deleted + sweep(reader) : deleted;
    }

    private int readNew(Reader reader) {
        int deleted = 0;
        Pruning.Batch batch;
        do {
            batch = reader.read(frontier, null, batchSize);
            deleted += batch.deleted();
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
            deleted += batch.deleted();
            left -= batch.read();
            if (batch.read() < size) {
                sweep = null;
                break;
            }
            sweep = batch.last();
        }
        return deleted;
    }
}
