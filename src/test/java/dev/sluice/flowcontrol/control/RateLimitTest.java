package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RateLimitTest {

    SimulatedBroker gatekeeper = new SimulatedBroker(1_000);
    VirtualClock clock = gatekeeper.clock;

    @Test
    void docsExampleRateThreePerMinuteAndParallelismSeven() {
        FlowConfig config = FlowConfig.parse("rate=3, period=1m, parallelism=7");
        List<String> ids = gatekeeper.publish(10, "k", config);

        assertEquals(ids.subList(0, 3), gatekeeper.drain());
        assertEquals(BlockedBy.RATE, snapshot().blockedBy());
        assertEquals(3, snapshot().rateCount());

        clock.advanceSeconds(59);
        assertEquals(List.of(), gatekeeper.drain());
        clock.advanceSeconds(1);
        assertEquals(ids.subList(3, 6), gatekeeper.drain());

        clock.advanceSeconds(60);
        assertEquals(ids.subList(6, 7), gatekeeper.drain(), "parallelism 7 is reached first");
        assertEquals(BlockedBy.PARALLELISM, snapshot().blockedBy());
        assertEquals(7, snapshot().parallelismCount());

        gatekeeper.end(ids.get(0));
        assertEquals(ids.subList(7, 8), gatekeeper.drain());
    }

    @Test
    void docsExampleRateTenPerMinuteParallelismTwentyWithLongCalls() {
        FlowConfig config = FlowConfig.parse("rate=10, period=1m, parallelism=20");
        List<String> ids = gatekeeper.publish(30, "k", config);

        assertEquals(10, gatekeeper.drain().size());
        clock.advanceSeconds(30);
        assertEquals(0, gatekeeper.drain().size());
        clock.advanceSeconds(30);
        assertEquals(10, gatekeeper.drain().size());
        clock.advanceSeconds(60);
        assertEquals(0, gatekeeper.drain().size(), "20 in flight: nothing until one completes");
        clock.advanceSeconds(600 - 121);
        assertEquals(0, gatekeeper.drain().size());

        gatekeeper.end(ids.get(0));
        assertEquals(List.of(ids.get(20)), gatekeeper.drain());
    }

    @Test
    void aWindowStartsWithTheFirstStartAfterThePreviousEnded() {
        FlowConfig config = FlowConfig.parse("rate=2, period=10s");
        gatekeeper.publish(2, "k", config);
        assertEquals(2, gatekeeper.drain().size());
        gatekeeper.endAll();

        clock.advanceSeconds(13);
        gatekeeper.publish(3, "k", config);
        assertEquals(2, gatekeeper.drain().size());
        assertEquals(VirtualClock.START.getEpochSecond() + 13, snapshot().ratePeriodStartEpochSeconds());

        clock.advanceMillis(9_999);
        assertEquals(0, gatekeeper.drain().size(), "the window of 13 s lasts until 23 s");
        clock.advanceMillis(1);
        assertEquals(1, gatekeeper.drain().size());
        assertEquals(VirtualClock.START.getEpochSecond() + 23, snapshot().ratePeriodStartEpochSeconds());
        assertEquals(1, snapshot().rateCount());
    }

    @Test
    void rateCountIsZeroOnceTheWindowEnded() {
        gatekeeper.publish(2, "k", FlowConfig.parse("rate=5, period=10s"));
        gatekeeper.drain();
        assertEquals(2, snapshot().rateCount());
        clock.advanceSeconds(10);
        assertEquals(0, snapshot().rateCount());
        assertEquals(VirtualClock.START.getEpochSecond(), snapshot().ratePeriodStartEpochSeconds(),
                "the start of the last window stays reported");
    }

    @Test
    void noWindowYetReportsZeroStart() {
        gatekeeper.engine.pause("k");
        gatekeeper.publish("k", FlowConfig.parse("rate=5"));
        assertEquals(0, snapshot().ratePeriodStartEpochSeconds());
        assertEquals(0, snapshot().rateCount());
    }

    @Test
    void rateOnlyKeyIsNotLimitedByParallelism() {
        gatekeeper.publish(100, "k", FlowConfig.parse("rate=50"));
        assertEquals(50, gatekeeper.drain().size());
        assertEquals(50, snapshot().parallelismCount());
        assertEquals(0, snapshot().parallelismMax());
        clock.advanceSeconds(1);
        assertEquals(50, gatekeeper.drain().size());
    }

    @Test
    void retriesNeedARateTokenToo() {
        FlowConfig config = FlowConfig.parse("rate=1, period=10s");
        String id = gatekeeper.publish("k", config);
        gatekeeper.drain();
        gatekeeper.end(id);
        gatekeeper.engine.admit("k", id, config, clock.millis());
        assertEquals(BlockedBy.RATE, snapshot().blockedBy());
        assertEquals(java.util.Optional.empty(), gatekeeper.engine.nextKey());
    }

    KeySnapshot snapshot() {
        return gatekeeper.engine.snapshot("k").orElseThrow();
    }
}
