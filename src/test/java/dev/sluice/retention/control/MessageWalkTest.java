package dev.sluice.retention.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The walk over a table in memory: ids are numbers made in order, the cutoff is an id (what was made before it may be
 * over), and a row is over once the pass's time reaches its own time.
 */
class MessageWalkTest {

    private static final int BATCH = 10;
    private static final int SWEEP = 25;

    /** id → the time from which the row is over */
    private final NavigableMap<String, Long> rows = new TreeMap<>();
    private final List<String> reads = new ArrayList<>();
    private final MessageWalk walk = new MessageWalk(BATCH, SWEEP);
    private long time;
    private String cutoff;

    @Test
    void theFirstPassReadsEveryMessageBeforeTheCutoffOnce() {
        add(0, 100, Long.MAX_VALUE);
        add(100, 120, 0);

        assertEquals(0, pass(1, 100));

        assertEquals(100, reads.size());
        assertEquals(100, reads.stream().distinct().count());
    }

    @Test
    void laterPassesReadTheNewMessagesAndAtMostTheSweepOfTheOldOnes() {
        add(0, 100, Long.MAX_VALUE);
        add(100, 200, 0);
        pass(1, 100);

        assertEquals(100, pass(2, 200), "the new ones over");
        assertEquals(SWEEP, reads.stream().filter(id -> id.compareTo(id(100)) < 0).count(), "old ones read again");

        pass(3, 200);
        assertEquals(SWEEP, reads.size(), "nothing new: only the sweep");
        assertEquals(id(SWEEP), reads.get(0), "the sweep goes on where it stopped");
    }

    @Test
    void theSweepStartsAgainFromTheFirstOnceItReachesTheFrontier() {
        add(0, 30, Long.MAX_VALUE);
        pass(1, 30);

        pass(2, 30);
        assertEquals(ids(0, SWEEP), reads);
        pass(3, 30);
        assertEquals(ids(SWEEP, 30), reads, "up to the frontier, then stops for this pass");
        pass(4, 30);
        assertEquals(ids(0, SWEEP), reads);
    }

    @Test
    void anOldMessageThatBecomesOverIsDeletedWithinASweep() {
        add(0, 100, Long.MAX_VALUE);
        add(100, 101, 50);
        add(101, 200, Long.MAX_VALUE);
        pass(1, 200);
        assertTrue(rows.containsKey(id(100)), "not over yet at the first read");

        int passes = 1;
        while (rows.containsKey(id(100))) {
            pass(50 + passes, 200);
            passes++;
        }
        assertTrue(passes <= 200 / SWEEP + 2, "deleted after " + passes + " passes");
    }

    @Test
    void aFailingReadKeepsWhatWasReadBefore() {
        add(0, 35, 0);
        Pruning.Batch[] first = new Pruning.Batch[1];
        cutoff = id(35);
        time = 1;
        try {
            walk.pass((after, through, size) -> {
                if (first[0] != null) {
                    throw new IllegalStateException("the database is gone");
                }
                first[0] = read(after, through, size);
                return first[0];
            });
        } catch (IllegalStateException expected) {
            // the next pass goes on
        }
        assertEquals(25, rows.size());

        assertEquals(25, pass(2, 35));
        assertEquals(ids(10, 35), reads, "goes on after the batch it read");
    }

    private int pass(long at, int cutoffId) {
        time = at;
        cutoff = id(cutoffId);
        reads.clear();
        return walk.pass(this::read);
    }

    private Pruning.Batch read(String after, String through, int size) {
        NavigableMap<String, Long> range = through == null
                ? rows.headMap(cutoff, false) : rows.headMap(through, true);
        if (after != null) {
            range = range.tailMap(after, false);
        }
        List<String> read = range.keySet().stream().limit(size).toList();
        reads.addAll(read);
        int deleted = 0;
        for (String id : read) {
            if (rows.get(id) <= time) {
                rows.remove(id);
                deleted++;
            }
        }
        return new Pruning.Batch(read.size(), deleted, read.isEmpty() ? after : read.get(read.size() - 1));
    }

    private void add(int from, int to, long overAt) {
        for (int i = from; i < to; i++) {
            rows.put(id(i), overAt);
        }
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(id(i));
        }
        return ids;
    }

    private static String id(int i) {
        return "msg_%05d".formatted(i);
    }
}
