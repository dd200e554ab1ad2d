package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Period;
import dev.sluice.platform.entity.InvalidInput;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManagementTest {

    SimulatedBroker gatekeeper = new SimulatedBroker(1_000);
    FlowController engine = gatekeeper.engine;
    VirtualClock clock = gatekeeper.clock;

    @Test
    void pauseStopsStartsAndKeepsMessages() {
        gatekeeper.publish(2, "k", FlowConfig.parse("rate=10"));
        engine.pause("k");
        gatekeeper.publish(2, "k", FlowConfig.parse("rate=10"));
        assertEquals(List.of(), gatekeeper.drain());
        assertEquals(4, snapshot().waitListSize());
        assertTrue(snapshot().paused());
        assertEquals(BlockedBy.PAUSED, snapshot().blockedBy());

        engine.resume("k");
        assertFalse(snapshot().paused());
        assertEquals(4, gatekeeper.drain().size());
    }

    @Test
    void whilePausedTheRateWindowKeepsElapsingAndItsCountIsKept() {
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=3, period=10s"));
        assertEquals(3, gatekeeper.drain().size());
        engine.pause("k");
        clock.advanceSeconds(5);
        engine.resume("k");
        assertEquals(3, snapshot().rateCount());
        assertEquals(List.of(), gatekeeper.drain());
        engine.pause("k");
        clock.advanceSeconds(5);
        assertEquals(0, snapshot().rateCount(), "the window ended during the pause");
        engine.resume("k");
        assertEquals(2, gatekeeper.drain().size());
    }

    @Test
    void anOperatorCanPauseAKeyBeforeItsTrafficArrives() {
        engine.pause("later");
        assertTrue(engine.snapshot("later").orElseThrow().paused());
        assertEquals(BlockedBy.EMPTY, engine.snapshot("later").orElseThrow().blockedBy());
        gatekeeper.publish("later", FlowConfig.parse("parallelism=1"));
        assertEquals(List.of(), gatekeeper.drain());
    }

    @Test
    void pinOverridesTheMessagesAndResetsTheRateWindow() {
        gatekeeper.publish(20, "k", FlowConfig.parse("parallelism=1, rate=2, period=1m"));
        assertEquals(1, gatekeeper.drain().size());

        clock.advanceSeconds(3);
        engine.pin("k", 5, 3, Period.ofSeconds(10));
        KeySnapshot pinned = snapshot();
        assertEquals(5, pinned.parallelismMax());
        assertEquals(3, pinned.rateMax());
        assertEquals(10, pinned.ratePeriodSeconds());
        assertEquals(0, pinned.rateCount());
        assertEquals(VirtualClock.START.getEpochSecond() + 3, pinned.ratePeriodStartEpochSeconds());
        assertTrue(pinned.pinnedParallelism());
        assertTrue(pinned.pinnedRate());

        assertEquals(3, gatekeeper.drain().size());
        clock.advanceSeconds(10);
        assertEquals(1, gatekeeper.drain().size(), "parallelism 5 reached");
    }

    @Test
    void pinningParallelismAloneKeepsTheRateWindow() {
        gatekeeper.publish(5, "k", FlowConfig.parse("parallelism=1, rate=2, period=1m"));
        gatekeeper.drain();
        engine.pin("k", 3, null, null);
        assertEquals(1, snapshot().rateCount());
        assertEquals(2, snapshot().rateMax());
        assertFalse(snapshot().pinnedRate());
        assertEquals(1, gatekeeper.drain().size());
    }

    @Test
    void pinningARateDefaultsToOneSecond() {
        engine.pin("k", null, 4, null);
        assertEquals(1, snapshot().ratePeriodSeconds());
        assertEquals(4, snapshot().rateMax());
        assertFalse(snapshot().pinnedParallelism());
    }

    @Test
    void pinRejectsNonsense() {
        assertThrows(InvalidInput.class, () -> engine.pin("k", null, null, null));
        assertThrows(InvalidInput.class, () -> engine.pin("k", 2, null, Period.ofSeconds(5)));
        assertThrows(InvalidInput.class, () -> engine.pin("k", 0, null, null));
        assertThrows(InvalidInput.class, () -> engine.pin("k", null, -1, null));
    }

    @Test
    void afterUnpinTheLastPinnedValuesStickUntilADifferentConfigurationArrives() {
        FlowConfig original = FlowConfig.parse("parallelism=1, rate=100");
        gatekeeper.publish(10, "k", original);
        engine.pin("k", 4, 50, null);
        engine.unpin("k", true, true);
        KeySnapshot unpinned = snapshot();
        assertEquals(4, unpinned.parallelismMax());
        assertEquals(50, unpinned.rateMax());
        assertFalse(unpinned.pinnedParallelism());
        assertFalse(unpinned.pinnedRate());

        gatekeeper.publish("k", FlowConfig.parse("parallelism=4, rate=50"));
        assertEquals(4, snapshot().parallelismMax(), "the same configuration keeps the sticky values");
        assertEquals(50, snapshot().rateMax());

        gatekeeper.publish("k", FlowConfig.parse("parallelism=2, rate=50"));
        assertEquals(4, snapshot().parallelismMax(), "the mix of messages rules again: max(1, 4, 2)");
        assertEquals(50, snapshot().rateMax(), "the rate dimension is still sticky");

        gatekeeper.publish("k", original);
        assertEquals(100, snapshot().rateMax());
    }

    @Test
    void unpinningOneDimensionKeepsTheOtherPinned() {
        gatekeeper.publish("k", FlowConfig.parse("parallelism=1, rate=1"));
        engine.pin("k", 5, 5, null);
        engine.unpin("k", false, true);
        assertTrue(snapshot().pinnedParallelism());
        assertFalse(snapshot().pinnedRate());
        gatekeeper.publish("k", FlowConfig.parse("parallelism=1, rate=1"));
        assertEquals(5, snapshot().parallelismMax());
        assertEquals(1, snapshot().rateMax());
    }

    @Test
    void unpinningWhatIsNotPinnedChangesNothing() {
        gatekeeper.publish("k", FlowConfig.parse("parallelism=2"));
        engine.unpin("k", true, true);
        assertEquals(2, snapshot().parallelismMax());
        assertEquals(KeySettings.NONE, engine.settings("k"));
    }

    @Test
    void resetRateStartsANewWindowNow() {
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=2, period=1h"));
        assertEquals(2, gatekeeper.drain().size());
        clock.advanceSeconds(7);
        engine.resetRate("k");
        assertEquals(0, snapshot().rateCount());
        assertEquals(VirtualClock.START.getEpochSecond() + 7, snapshot().ratePeriodStartEpochSeconds());
        assertEquals(2, gatekeeper.drain().size());
    }

    @Test
    void resetIsResetRateAndLeavesPauseAndPins() {
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=2, period=1h"));
        gatekeeper.drain();
        engine.pin("k", 9, null, null);
        engine.pause("k");
        engine.reset("k");
        KeySnapshot snapshot = snapshot();
        assertEquals(0, snapshot.rateCount());
        assertTrue(snapshot.paused());
        assertTrue(snapshot.pinnedParallelism());
        assertEquals(2, snapshot.parallelismCount());
        engine.resume("k");
        assertEquals(2, gatekeeper.drain().size());
    }

    @Test
    void settingsRoundTripThroughARestart() {
        engine.pin("k", 3, 7, Period.ofSeconds(60));
        engine.pause("k");
        engine.pin("s", 2, 4, null);
        engine.unpin("s", true, true);
        KeySettings k = engine.settings("k");
        KeySettings s = engine.settings("s");
        assertEquals(new KeySettings(true, 3, 7, Period.ofSeconds(60), null, null, null), k);
        assertEquals(new KeySettings(false, null, null, null, 2, 4, Period.ONE_SECOND), s);

        FlowController restarted = new FlowController(clock, 10);
        restarted.restoreSettings("k", k);
        restarted.restoreSettings("s", s);
        assertEquals(k, restarted.settings("k"));
        assertEquals(s, restarted.settings("s"));
        assertEquals(2, restarted.snapshot("s").orElseThrow().parallelismMax());
        restarted.admit("k", "m", FlowConfig.parse("parallelism=1"), clock.millis());
        assertEquals(Optional.empty(), restarted.nextKey());
        restarted.restoreSettings("k", KeySettings.NONE);
        assertEquals(Optional.of("k"), restarted.nextKey());
    }

    @Test
    void settingsOfUnknownKeysAreDefaultsAndCreateNothing() {
        assertEquals(KeySettings.NONE, engine.settings("nobody"));
        assertEquals(Optional.empty(), engine.snapshot("nobody"));
        assertTrue(KeySettings.NONE.isDefault());
    }

    @Test
    void keySettingsNormalisePeriods() {
        assertEquals(Period.ONE_SECOND, new KeySettings(false, null, 3, null, null, null, null).pinnedPeriod());
        assertEquals(null, new KeySettings(false, 3, null, Period.ofSeconds(5), null, null, null).pinnedPeriod());
        assertThrows(InvalidInput.class, () -> new KeySettings(false, 0, null, null, null, null, null));
    }

    KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
