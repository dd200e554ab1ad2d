package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Many keys and long waitlists, kept as counts. Asserts correctness only; the point is that it runs quickly. */
class ScaleTest {

    VirtualClock clock = new VirtualClock();

    @Test
    void aHundredThousandKeysWithAFewMessagesEach() {
        FlowController engine = new FlowController(clock, 1_000_000);
        FlowConfig one = FlowConfig.parse("parallelism=1");
        int keys = 100_000;
        for (int message = 0; message < 3; message++) {
            for (int key = 0; key < keys; key++) {
                engine.admit("key-" + key, key + "/" + message, one, clock.millis());
            }
        }
        int[] next = new int[keys];
        for (int round = 0; round < 3; round++) {
            List<String> started = new ArrayList<>();
            for (Optional<String> key = engine.nextKey(); key.isPresent(); key = engine.nextKey()) {
                int index = Integer.parseInt(key.get().substring(4));
                String id = index + "/" + next[index]++;
                engine.started(key.get(), id, one, clock.millis() + 60_000);
                started.add(id);
            }
            assertEquals(keys, started.size(), "every key once per round, round " + round);
            assertEquals(keys, engine.global().parallelismCount());
            started.forEach(engine::attemptEnded);
        }
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(0, engine.global().parallelismCount());
        assertEquals(0, engine.snapshot("key-99999").orElseThrow().waitListSize());
    }

    @Test
    void aHundredKeysWithTenThousandMessagesEach() {
        FlowController engine = new FlowController(clock, 5_000);
        FlowConfig config = FlowConfig.parse("rate=500, parallelism=1000");
        int keys = 100;
        int perKey = 10_000;
        for (int key = 0; key < keys; key++) {
            for (int message = 0; message < perKey; message++) {
                engine.admit("key-" + key, key + "/" + message, config, clock.millis());
            }
        }
        assertEquals(perKey, engine.snapshot("key-0").orElseThrow().waitListSize());

        long started = 0;
        long start = clock.millis();
        List<String> inFlight = new ArrayList<>();
        while (started < (long) keys * perKey) {
            for (Optional<String> key = engine.nextKey(); key.isPresent(); key = engine.nextKey()) {
                String id = key.get() + "#" + started++;
                engine.started(key.get(), id, config, clock.millis() + 60_000);
                inFlight.add(id);
            }
            assertTrue(inFlight.size() <= 5_000, "global parallelism");
            for (KeySnapshot snapshot : engine.snapshots("key-1")) {
                assertTrue(snapshot.rateCount() <= 500, "rate of " + snapshot.key());
            }
            inFlight.forEach(engine::attemptEnded);
            inFlight.clear();
            long wakeUp = engine.nextWakeUpMillis();
            if (wakeUp > clock.millis() && wakeUp != Long.MAX_VALUE) {
                clock.advanceMillis(wakeUp - clock.millis());
            }
        }
        assertEquals(19_000, clock.millis() - start, "20 windows of 500 per key, the last one starting at 19 s");
        assertEquals(0, engine.snapshots(null).stream().mapToLong(KeySnapshot::waitListSize).sum());
    }
}
