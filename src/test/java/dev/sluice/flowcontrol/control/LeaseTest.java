package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeaseTest {

    VirtualClock clock = new VirtualClock();
    FlowController engine = new FlowController(clock, 10);
    FlowConfig one = FlowConfig.parse("parallelism=1");

    @Test
    void anExpiredLeaseFreesTheSlots() {
        engine.admit("k", "a", one, clock.millis());
        engine.admit("k", "b", one, clock.millis());
        startNext("k", "a", 30_000);
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(clock.millis() + 30_000, engine.nextWakeUpMillis());

        clock.advanceMillis(29_999);
        assertEquals(Optional.empty(), engine.nextKey());
        clock.advanceMillis(1);
        assertEquals(Optional.of("k"), engine.nextKey());
        assertEquals(1, engine.expiredLeases());
        assertEquals(0, engine.global().parallelismCount(), "only b's offer is pending");
    }

    @Test
    void aLateReportAfterExpiryDoesNotFreeTwice() {
        engine.admit("k", "a", one, clock.millis());
        engine.admit("k", "b", one, clock.millis());
        startNext("k", "a", 1_000);
        clock.advanceSeconds(1);
        startNext("k", "b", 60_000);

        assertFalse(engine.attemptEnded("a"), "a's lease expired already");
        assertFalse(engine.attemptEnded("a"));
        assertEquals(1, snapshot().parallelismCount());
        assertEquals(1, engine.global().parallelismCount());
        assertTrue(engine.attemptEnded("b"));
        assertFalse(engine.attemptEnded("b"));
        assertEquals(0, engine.global().parallelismCount());
    }

    @Test
    void unknownIdsAreIgnored() {
        assertFalse(engine.attemptEnded("never-started"));
        assertEquals(0, engine.global().parallelismCount());
    }

    @Test
    void restoredDeliveriesCountUntilTheyEndOrExpire() {
        engine.restoreInFlight("k", "old-1", one, clock.millis() + 10_000);
        engine.restoreInFlight(FlowController.UNKEYED, "old-2", null, clock.millis() + 20_000);
        engine.admit("k", "new", one, clock.millis());

        assertEquals(2, engine.global().parallelismCount());
        assertEquals(1, snapshot().parallelismCount());
        assertEquals(0, snapshot().rateCount(), "restored attempts do not use the rate window");
        assertEquals(Optional.empty(), engine.nextKey());

        clock.advanceSeconds(10);
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", "new", one, clock.millis() + 10_000);
        assertEquals(1, engine.expiredLeases());
        assertTrue(engine.attemptEnded("old-2"));
        assertEquals(1, engine.global().parallelismCount());
    }

    @Test
    void aRestoredDeliveryWithAWiderConfigurationWidensTheKey() {
        engine.admit("k", "a", one, clock.millis());
        engine.admit("k", "b", one, clock.millis());
        startNext("k", "a", 60_000);
        assertEquals(Optional.empty(), engine.nextKey());
        engine.restoreInFlight("k", "old", FlowConfig.parse("parallelism=3"), clock.millis() + 60_000);
        assertEquals(3, snapshot().parallelismMax());
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    @Test
    void restoredDeliveriesCountAgainstGlobalParallelism() {
        FlowController engine = new FlowController(clock, 1);
        engine.restoreInFlight(FlowController.UNKEYED, "old", null, clock.millis() + 5_000);
        engine.admit("k", "m", FlowConfig.parse("rate=10"), clock.millis());
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(BlockedBy.GLOBAL_PARALLELISM, engine.snapshot("k").orElseThrow().blockedBy());
        engine.attemptEnded("old");
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    @Test
    void startingAnIdStillInFlightReplacesTheEarlierAttempt() {
        FlowConfig five = FlowConfig.parse("parallelism=5");
        engine.admit("k", "a", five, clock.millis());
        engine.admit("k", "a", five, clock.millis());
        engine.nextKey();
        engine.started("k", "a", five, clock.millis() + 60_000);
        engine.nextKey();
        engine.started("k", "a", five, clock.millis() + 60_000);
        assertEquals(1, snapshot().parallelismCount());
        assertEquals(1, engine.global().parallelismCount());
    }

    @Test
    void nothingWaitingParksTheKeyBriefly() {
        engine.admit("k", "a", one, clock.millis());
        engine.admit("other", "o", one, clock.millis());
        assertEquals(Optional.of("k"), engine.nextKey());
        assertFalse(engine.nothingWaiting("k"));

        assertEquals(1, snapshot().waitListSize(), "the count is kept");
        assertEquals(BlockedBy.NOT_BEFORE, snapshot().blockedBy());
        assertEquals(Optional.of("other"), engine.nextKey());
        engine.started("other", "o", one, clock.millis() + 60_000);
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(clock.millis() + 1, engine.nextWakeUpMillis(), "a first miss is retried 1 ms later");

        clock.advanceMillis(1);
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", "a", one, clock.millis() + 60_000);
        assertEquals(0, snapshot().waitListSize());
    }

    @Test
    void missesInARowDoubleTheBackoffUpToTwentyMillis() {
        engine.admit("k", "a", one, clock.millis());
        List<Long> backoffs = new ArrayList<>();
        for (int miss = 0; miss < 7; miss++) {
            assertEquals(Optional.of("k"), engine.nextKey());
            engine.nothingWaiting("k");
            long backoff = engine.nextWakeUpMillis() - clock.millis();
            backoffs.add(backoff);
            clock.advanceMillis(backoff - 1);
            assertEquals(Optional.empty(), engine.nextKey(), "parked until the backoff ends");
            clock.advanceMillis(1);
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 20L, 20L), backoffs);

        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", "a", one, clock.millis() + 60_000);
        engine.admit("k", "b", one, clock.millis());
        engine.attemptEnded("a");
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.nothingWaiting("k");
        assertEquals(clock.millis() + 1, engine.nextWakeUpMillis(), "a start ends the series");
    }

    @Test
    void fiftyMissesInARowGiveTheCountUp() {
        engine.admit("k", "a", FlowConfig.parse("parallelism=1, rate=1"), clock.millis());
        engine.admit("k", "b", FlowConfig.parse("parallelism=1, rate=1"), clock.millis());
        for (int miss = 1; miss < FlowController.MISS_LIMIT; miss++) {
            assertEquals(Optional.of("k"), engine.nextKey(), "miss " + miss);
            assertFalse(engine.nothingWaiting("k"));
            clock.advanceMillis(20);
        }
        assertEquals(Optional.of("k"), engine.nextKey());
        assertTrue(engine.nothingWaiting("k"));

        assertEquals(1, engine.abandonedWaitingCounts());
        assertEquals(0, snapshot().waitListSize());
        assertEquals(BlockedBy.EMPTY, snapshot().blockedBy());
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(1, snapshot().parallelismMax(), "the key keeps its last configuration");
    }

    @Test
    void aStartConfirmsTheCountAndResetsTheMisses() {
        FlowController engine = new FlowController(clock, 10, Duration.ofMillis(5), 3);
        for (int i = 0; i < 4; i++) {
            engine.admit("k", "m" + i, FlowConfig.parse("rate=100"), clock.millis());
        }
        for (int round = 0; round < 3; round++) {
            engine.nextKey();
            assertFalse(engine.nothingWaiting("k"));
            clock.advanceMillis(5);
            engine.nextKey();
            assertFalse(engine.nothingWaiting("k"));
            clock.advanceMillis(5);
            assertEquals(Optional.of("k"), engine.nextKey());
            engine.started("k", "m" + round, FlowConfig.parse("rate=100"), clock.millis() + 1_000);
        }
        assertEquals(0, engine.abandonedWaitingCounts());
        assertEquals(1, engine.snapshot("k").orElseThrow().waitListSize());
    }

    @Test
    void aStartAfterTheCountWasGivenUpStillCounts() {
        FlowController engine = new FlowController(clock, 10, Duration.ofMillis(5), 1);
        FlowConfig two = FlowConfig.parse("parallelism=2");
        engine.admit("k", "a", two, clock.millis());
        engine.nextKey();
        assertTrue(engine.nothingWaiting("k"));
        engine.started("k", "a", two, clock.millis() + 1_000); // the message did show up after all
        KeySnapshot snapshot = engine.snapshot("k").orElseThrow();
        assertEquals(0, snapshot.waitListSize());
        assertEquals(1, snapshot.parallelismCount());
        assertEquals(2, snapshot.parallelismMax());
        assertTrue(engine.attemptEnded("a"));
        assertEquals(0, engine.global().parallelismCount());
    }

    void startNext(String key, String id, long leaseMillis) {
        assertEquals(Optional.of(key), engine.nextKey());
        engine.started(key, id, one, clock.millis() + leaseMillis);
    }

    KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
