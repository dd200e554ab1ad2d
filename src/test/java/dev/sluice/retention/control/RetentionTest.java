package dev.sluice.retention.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.platform.control.Instruments;
import dev.sluice.retention.entity.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pass's order of work, with the database's part stubbed. */
class RetentionTest {

    private static final long NOW = 1_800_000_000_000L;

    private final List<String> calls = new ArrayList<>();
    private final List<Integer> reported = new ArrayList<>();
    /** what the walk's next read reports as ended, not over yet */
    private final List<Pruning.Later> later = new ArrayList<>();

    @Test
    void aPassLooksForDeadLettersThroughTheirDlqIdsBatchAfterBatchThenWalksTheMessages() {
        Retention retention = retention("7d", "30d");

        Map<String, Integer> deleted = retention.pruneAt(NOW);

        assertEquals(List.of("dead letters after null", "dead letters after dlq_500", "messages after null"), calls);
        assertEquals(Map.of("messages", 503), deleted);
        assertEquals(List.of(503), reported, "the metric counts the pass's deletions");
    }

    @Test
    void endedMessagesKeptForeverAreNotWalked() {
        Retention retention = retention("0", "30d");

        retention.pruneAt(NOW);

        assertEquals(List.of("dead letters after null", "dead letters after dlq_500"), calls);
    }

    @Test
    void anEndedMessageReadBeforeItIsOverIsReadAgainByItsIdOnceItIs() {
        Retention retention = retention("7d", "0");
        later.add(new Pruning.Later("msg_1", NOW + 1_000));
        retention.pruneAt(NOW);
        calls.clear();

        retention.pruneAt(NOW + 1_000);
        assertEquals(List.of("messages after msg_0", "messages after null"), calls, "not over yet: new, then sweep");
        calls.clear();

        retention.pruneAt(NOW + 1_001);
        assertEquals(List.of("messages [msg_1]", "messages after msg_0"), calls.subList(0, 2));
    }

    @Test
    void deadLettersKeptForeverAreNotLookedFor() {
        Retention retention = retention("7d", "0");

        retention.pruneAt(NOW);

        assertEquals(List.of("messages after null"), calls);
    }

    private Retention retention(String endedKept, String deadLettersKept) {
        Retention retention = new Retention();
        retention.instruments = new Instruments() {
            @Override
            public void retentionPass(int deleted, long nanos) {
                reported.add(deleted);
            }
        };
        retention.configured = new ConfiguredRetention() {
            @Override
            public RetentionPolicy policy() {
                return RetentionPolicy.of(endedKept, deadLettersKept, "10m");
            }
        };
        retention.pruning = new Pruning() {
            @Override
            public Batch pruneDeadLetters(RetentionPolicy policy, long now, String after, int size) {
                calls.add("dead letters after " + after);
                return after == null ? new Batch(size, size, "dlq_500") : new Batch(3, 3, "dlq_503");
            }

            @Override
            public Batch pruneMessages(RetentionPolicy policy, long now, String after, String through, int size) {
                calls.add("messages after " + after);
                if (after == null && !later.isEmpty()) {
                    Batch batch = new Batch(1, 0, "msg_0", List.copyOf(later));
                    later.clear();
                    return batch;
                }
                return new Batch(0, 0, after);
            }

            @Override
            public Batch pruneMessages(RetentionPolicy policy, long now, List<String> ids) {
                calls.add("messages " + ids);
                return new Batch(ids.size(), ids.size(), null);
            }

            @Override
            public Batch prune(Prunable kind, long before, int size) {
                return new Batch(0, 0, null);
            }
        };
        return retention;
    }
}
