package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.flowcontrol.entity.FlowConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A start whose move the broker rolled back: the message waits again, as if it had never started. */
class MoveUndoneTest {

    VirtualClock clock = new VirtualClock();
    FlowController engine = new FlowController(clock, 10);

    @Test
    void theMessageWaitsAgainAndHoldsNoSlot() {
        FlowConfig one = FlowConfig.parse("parallelism=1");
        engine.admit("k", "a", one, clock.millis());
        start("k", "a", one);

        engine.moveUndone("k", "a", one);

        KeySnapshot snapshot = snapshot();
        assertEquals(1, snapshot.waitListSize());
        assertEquals(0, snapshot.parallelismCount());
        assertEquals(1, snapshot.parallelismMax(), "its configuration still counts");
        assertEquals(0, engine.global().parallelismCount());
        assertEquals(Optional.of("k"), engine.nextKey(), "it may go again at once");
    }

    @Test
    void itsStartLeavesTheRateWindowItOpened() {
        FlowConfig onePerHour = FlowConfig.parse("rate=1, period=1h");
        engine.admit("k", "a", onePerHour, clock.millis());
        start("k", "a", onePerHour);

        engine.moveUndone("k", "a", onePerHour);
        clock.advanceSeconds(5);

        assertEquals(0, snapshot().rateCount());
        start("k", "a", onePerHour);
        assertEquals(VirtualClock.START.getEpochSecond() + 5, snapshot().ratePeriodStartEpochSeconds(),
                "the window opens with the start that happened");
    }

    @Test
    void aWindowWithOtherStartsKeepsThemAndItsStart() {
        FlowConfig twoPerMinute = FlowConfig.parse("rate=2, period=1m");
        engine.admit("k", "a", twoPerMinute, clock.millis());
        engine.admit("k", "b", twoPerMinute, clock.millis());
        engine.admit("k", "c", twoPerMinute, clock.millis());
        start("k", "a", twoPerMinute);
        engine.sent("a", clock.millis());
        clock.advanceSeconds(1);
        start("k", "b", twoPerMinute);

        engine.moveUndone("k", "b", twoPerMinute);

        assertEquals(1, snapshot().rateCount());
        assertEquals(VirtualClock.START.getEpochSecond(), snapshot().ratePeriodStartEpochSeconds());
        start("k", "b", twoPerMinute);
        assertEquals(Optional.empty(), engine.nextKey(), "two started in this window, c waits");
    }

    @Test
    void theLastOfSeveralUndoneStartsClosesTheWindowTheyOpened() {
        FlowConfig threePerHour = FlowConfig.parse("rate=3, period=1h");
        for (String id : List.of("a", "b", "c")) {
            engine.admit("k", id, threePerHour, clock.millis());
        }
        for (String id : List.of("a", "b", "c")) {
            start("k", id, threePerHour);
        }

        engine.moveUndone("k", "a", threePerHour);
        engine.moveUndone("k", "b", threePerHour);
        assertEquals(VirtualClock.START.getEpochSecond(), snapshot().ratePeriodStartEpochSeconds(), "c's start stays");
        engine.moveUndone("k", "c", threePerHour);

        assertEquals(0, snapshot().ratePeriodStartEpochSeconds(), "no window");
        assertEquals(3, snapshot().waitListSize());
    }

    @Test
    void aWindowOpenedByAResetStaysOpen() {
        FlowConfig onePerHour = FlowConfig.parse("rate=1, period=1h");
        engine.admit("k", "a", onePerHour, clock.millis());
        engine.resetRate("k");
        start("k", "a", onePerHour);

        engine.moveUndone("k", "a", onePerHour);

        assertEquals(0, snapshot().rateCount());
        assertEquals(VirtualClock.START.getEpochSecond(), snapshot().ratePeriodStartEpochSeconds());
    }

    @Test
    void noAttemptIsLeftToEnd() {
        FlowConfig one = FlowConfig.parse("parallelism=1");
        engine.admit("k", "a", one, clock.millis());
        start("k", "a", one);

        engine.moveUndone("k", "a", one);

        assertFalse(engine.attemptEnded("a"));
        assertEquals(1, snapshot().waitListSize());
    }

    @Test
    void aMessageWhoseLeaseExpiredMeanwhileIsAdmittedAgain() {
        FlowConfig one = FlowConfig.parse("parallelism=1");
        engine.admit("k", "a", one, clock.millis());
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", "a", one, clock.millis() + 1_000);
        clock.advanceSeconds(1);
        assertEquals(Optional.empty(), engine.nextKey(), "the expiry is noticed, nothing waits");

        engine.moveUndone("k", "a", one);

        assertEquals(1, snapshot().waitListSize());
        assertEquals(0, snapshot().parallelismCount());
    }

    private void start(String key, String id, FlowConfig config) {
        assertEquals(Optional.of(key), engine.nextKey());
        engine.started(key, id, config, clock.millis() + 60_000);
    }

    private KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
