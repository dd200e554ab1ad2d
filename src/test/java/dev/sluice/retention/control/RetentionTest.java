package dev.sluice.retention.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.retention.entity.RetentionPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pass's order of work, with the database's part stubbed. */
class RetentionTest {

    private static final long NOW = 1_800_000_000_000L;

    private final List<String> calls = new ArrayList<>();

    @Test
    void aPassLooksForDeadLettersThroughTheirDlqIdsBatchAfterBatchThenWalksTheMessages() {
        Retention retention = retention("7d", "30d");

        Map<String, Integer> deleted = retention.pruneAt(NOW);

        assertEquals(List.of("dead letters after null", "dead letters after dlq_500", "messages after null"), calls);
        assertEquals(Map.of("messages", 503), deleted);
    }

    @Test
    void deadLettersKeptForeverAreNotLookedFor() {
        Retention retention = retention("7d", "0");

        retention.pruneAt(NOW);

        assertEquals(List.of("messages after null"), calls);
    }

    private Retention retention(String endedKept, String deadLettersKept) {
        Retention retention = new Retention();
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
                return new Batch(0, 0, after);
            }

            @Override
            public Batch prune(Prunable kind, long before, int size) {
                return new Batch(0, 0, null);
            }
        };
        return retention;
    }
}
