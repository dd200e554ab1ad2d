package dev.sluice.retention.control;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The walk over a table in memory: ids are numbers made in order, the cutoff is an id (what was made before it may be
 * over), and a row that ended is over once the pass's time is past its own time; one still waiting never is.
 */
class MessageWalkTest {

    private static final int BATCH = 10;
    private static final int SWEEP = 25;
    private static final int LATER = 3;
    private static final long WAITING = Long.MAX_VALUE;

    /** id → the time after which the row is over (WAITING: not ended) */
    private final NavigableMap<String, Long> rows = new TreeMap<>();
    private final List<String> reads = new ArrayList<>();
    private final MessageWalk walk = new MessageWalk(BATCH, SWEEP, LATER);
    private long time;
    private String cutoff;

    @Test
    void theFirstPassReadsEveryMessageBeforeTheCutoffOnce() {
        add(0, 100, WAITING);
        add(100, 120, 0);

        assertEquals(0, pass(1, 100));

        assertEquals(100, reads.size());
        assertEquals(100, reads.stream().distinct().count());
    }

    @Test
    void laterPassesReadTheNewMessagesAndAtMostTheSweepOfTheOldOnes() {
        add(0, 100, WAITING);
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
        add(0, 30, WAITING);
        pass(1, 30);

        pass(2, 30);
        assertEquals(ids(0, SWEEP), reads);
        pass(3, 30);
        assertEquals(ids(SWEEP, 30), reads, "up to the frontier, then stops for this pass");
        pass(4, 30);
        assertEquals(ids(0, SWEEP), reads);
    }

    @Test
    void aSweepThatEndsOnTheFrontierStartsAgainAtTheNextPass() {
        add(0, SWEEP, WAITING);
        pass(1, SWEEP);

        pass(2, SWEEP);
        assertEquals(ids(0, SWEEP), reads);
        pass(3, SWEEP);
        assertEquals(ids(0, SWEEP), reads, "not a pass spent finding nothing after the frontier");
    }

    @Test
    void rememberedMessagesWhoseReadFailedAreReadAtTheNextPass() {
        add(0, 20, WAITING);
        add(20, 21, 50);
        pass(1, 21);
        time = 60;
        try {
            walk.pass(new Fake() {
                @Override
                public Pruning.Batch read(List<String> ids) {
                    throw new IllegalStateException("the database is gone");
                }
            }, time);
        } catch (IllegalStateException expected) {
            // the next pass goes on
        }
        assertEquals(1, walk.remembered());

        pass(61, 21);
        assertFalse(rows.containsKey(id(20)));
        assertEquals(id(20), reads.get(0), "read first, by its id");
    }

    @Test
    void anOldMessageThatEndsLaterIsDeletedWithinASweep() {
        add(0, 200, WAITING);
        pass(1, 200);
        rows.put(id(100), 50L);

        int passes = 0;
        while (rows.containsKey(id(100)) && passes < 20) {
            pass(51 + passes, 200);
            passes++;
        }
        assertTrue(passes <= 200 / SWEEP + 1, "deleted after " + passes + " passes");
    }

    @Test
    void aMessageReadAfterItEndedButBeforeItIsOverIsDeletedOnTime() {
        add(0, 200, WAITING);
        add(200, 201, 50);
        add(201, 220, WAITING);
        pass(1, 220);
        assertEquals(1, walk.remembered());

        pass(50, 220);
        assertTrue(rows.containsKey(id(200)), "not over yet");
        assertEquals(SWEEP, reads.size(), "the sweep alone");

        pass(51, 220);
        assertFalse(rows.containsKey(id(200)), "read again once over, though the sweep is far from it");
        assertEquals(id(200), reads.get(0));
        assertEquals(0, walk.remembered());
    }

    @Test
    void theMessagesBeyondWhatTheWalkRemembersAreLeftToTheSweep() {
        add(0, 5, 50);
        add(5, 100, WAITING);
        pass(1, 100);
        assertEquals(LATER, walk.remembered());

        pass(51, 100);
        assertEquals(Set.copyOf(ids(0, LATER)), Set.copyOf(reads.subList(0, LATER)), "the remembered ones first");
        assertEquals(Set.of(), Set.copyOf(ids(0, 5)).stream().filter(rows::containsKey).collect(toSet()),
                "the others found by the sweep, which starts from the first");
    }

    @Test
    void aFailingReadKeepsWhatWasReadBefore() {
        add(0, 10, WAITING);
        add(10, 35, 0);
        Pruning.Batch[] first = new Pruning.Batch[1];
        cutoff = id(35);
        time = 1;
        try {
            walk.pass(new Fake() {
                @Override
                public Pruning.Batch read(String after, String through, int size) {
                    if (first[0] != null) {
                        throw new IllegalStateException("the database is gone");
                    }
                    first[0] = super.read(after, through, size);
                    return first[0];
                }
            }, time);
        } catch (IllegalStateException expected) {
            // the next pass goes on
        }
        assertEquals(35, rows.size());

        assertEquals(25, pass(2, 35));
        assertEquals(ids(10, 35), reads.subList(0, 25), "goes on after the batch it read");
    }

    private int pass(long at, int cutoffId) {
        time = at;
        cutoff = id(cutoffId);
        reads.clear();
        return walk.pass(new Fake(), time);
    }

    private class Fake implements MessageWalk.Reader {

        @Override
        public Pruning.Batch read(String after, String through, int size) {
            NavigableMap<String, Long> range = through == null
                    ? rows.headMap(cutoff, false) : rows.headMap(through, true);
            if (after != null) {
                range = range.tailMap(after, false);
            }
            List<String> read = range.keySet().stream().limit(size).toList();
            return prune(read, read.isEmpty() ? after : read.get(read.size() - 1));
        }

        @Override
        public Pruning.Batch read(List<String> ids) {
            return prune(ids.stream().filter(rows::containsKey).toList(), null);
        }

        private Pruning.Batch prune(List<String> read, String last) {
            reads.addAll(read);
            int deleted = 0;
            List<Pruning.Later> later = new ArrayList<>();
            for (String id : read) {
                long overAt = rows.get(id);
                if (overAt < time) {
                    rows.remove(id);
                    deleted++;
                } else if (overAt != WAITING) {
                    later.add(new Pruning.Later(id, overAt));
                }
            }
            return new Pruning.Batch(read.size(), deleted, last, later);
        }
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
