package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotTest {

    SimulatedBroker gatekeeper = new SimulatedBroker(1_000);
    FlowController engine = gatekeeper.engine;
    VirtualClock clock = gatekeeper.clock;
    long epochSecond = VirtualClock.START.getEpochSecond();

    @Test
    void reportsEveryField() {
        List<String> ids = gatekeeper.publish(6, "k", FlowConfig.parse("parallelism=4, rate=3, period=1m"));
        gatekeeper.publish("k", FlowConfig.parse("parallelism=4, rate=3, period=1m"), Duration.ofMinutes(5));
        clock.advanceSeconds(2);
        gatekeeper.drain();
        clock.advanceSeconds(1);
        gatekeeper.end(ids.get(0));

        assertEquals(new KeySnapshot("k", 3, 4, 2, 3, 3, 60, epochSecond + 2, false, false, false, BlockedBy.RATE, 1,
                Duration.ofSeconds(59)), snapshot());
    }

    @Test
    void parallelismOnlyReportsPeriodOneAndNoRate() {
        gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=2"));
        gatekeeper.drain();
        KeySnapshot snapshot = snapshot();
        assertEquals(0, snapshot.rateMax());
        assertEquals(1, snapshot.ratePeriodSeconds());
        assertEquals(2, snapshot.rateCount());
        assertEquals(epochSecond, snapshot.ratePeriodStartEpochSeconds());
        assertEquals(2, snapshot.parallelismMax());
    }

    @Test
    void blockedByEachReason() {
        assertEquals(BlockedBy.EMPTY, blockedByAfter(() -> engine.pause("k")));

        SimulatedBroker scheduled = new SimulatedBroker(10);
        scheduled.publish("k", FlowConfig.parse("rate=1"), Duration.ofSeconds(1));
        assertEquals(BlockedBy.NOT_BEFORE, scheduled.engine.snapshot("k").orElseThrow().blockedBy());

        SimulatedBroker ready = new SimulatedBroker(10);
        ready.publish("k", FlowConfig.parse("rate=1"));
        assertEquals(BlockedBy.NONE, ready.engine.snapshot("k").orElseThrow().blockedBy());

        SimulatedBroker paused = new SimulatedBroker(10);
        paused.publish(2, "k", FlowConfig.parse("parallelism=1"));
        paused.drain();
        paused.engine.pause("k");
        assertEquals(BlockedBy.PAUSED, paused.engine.snapshot("k").orElseThrow().blockedBy());

        SimulatedBroker parallel = new SimulatedBroker(10);
        parallel.publish(2, "k", FlowConfig.parse("parallelism=1, rate=1"));
        parallel.drain();
        assertEquals(BlockedBy.PARALLELISM, parallel.engine.snapshot("k").orElseThrow().blockedBy());

        SimulatedBroker rate = new SimulatedBroker(10);
        rate.publish(2, "k", FlowConfig.parse("parallelism=2, rate=1"));
        rate.drain();
        assertEquals(BlockedBy.RATE, rate.engine.snapshot("k").orElseThrow().blockedBy());

        SimulatedBroker global = new SimulatedBroker(1);
        global.publish(FlowController.UNKEYED, null);
        global.publish(2, "k", FlowConfig.parse("parallelism=2"));
        global.drain();
        assertEquals(BlockedBy.GLOBAL_PARALLELISM, global.engine.snapshot("k").orElseThrow().blockedBy());
    }

    @Test
    void estimatedDrainFromTheRateWindows() {
        gatekeeper.publish(35, "k", FlowConfig.parse("rate=10, period=1m"));
        assertEquals(Duration.ofSeconds(180), snapshot().estimatedDrain(), "windows at 0, 60, 120 and 180 s");
        gatekeeper.drain();
        clock.advanceSeconds(20);
        assertEquals(25, snapshot().waitListSize());
        assertEquals(Duration.ofSeconds(160), snapshot().estimatedDrain(), "windows at 60 (in 40 s), 120 and 180 s");
        clock.advanceSeconds(40);
        gatekeeper.drain();
        gatekeeper.drain();
        assertEquals(Duration.ofSeconds(120), snapshot().estimatedDrain());
    }

    @Test
    void estimatedDrainIsZeroWhenTheCurrentWindowHasRoom() {
        gatekeeper.engine.pause("k");
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=10, period=1m"));
        assertEquals(Duration.ZERO, snapshot().estimatedDrain());
    }

    @Test
    void estimatedDrainFromParallelismAndTheAverageAttempt() {
        FlowConfig config = FlowConfig.parse("parallelism=2");
        List<String> first = gatekeeper.publish(2, "k", config);
        gatekeeper.drain();
        gatekeeper.publish(7, "k", config);
        assertEquals(Duration.ZERO, snapshot().estimatedDrain(), "no attempt has ended yet");

        clock.advanceSeconds(10);
        gatekeeper.end(first.get(0));
        gatekeeper.end(first.get(1));
        assertEquals(Duration.ofSeconds(30), snapshot().estimatedDrain(), "2 start now, then 3 waves of 10 s");

        List<String> second = gatekeeper.drain();
        clock.advanceSeconds(20);
        gatekeeper.end(second.get(0));
        // average: 10, 10, then 0.2 * 20 + 0.8 * 10 = 12 s; 5 waiting, 1 free slot: 2 waves
        assertEquals(5, snapshot().waitListSize());
        assertEquals(Duration.ofSeconds(24), snapshot().estimatedDrain());
    }

    @Test
    void estimatedDrainTakesTheSlowerBound() {
        FlowConfig config = FlowConfig.parse("parallelism=1, rate=100, period=1m");
        String first = gatekeeper.publish("k", config);
        gatekeeper.drain();
        clock.advanceSeconds(2);
        gatekeeper.end(first);
        gatekeeper.engine.pause("k");
        gatekeeper.publish(4, "k", config);
        assertEquals(Duration.ofSeconds(6), snapshot().estimatedDrain(), "1 now, 3 after 2 s each");
    }

    @Test
    void estimatedDrainIsZeroWhenNothingWaits() {
        gatekeeper.publish("k", FlowConfig.parse("rate=1"), Duration.ofSeconds(9));
        assertEquals(Duration.ZERO, snapshot().estimatedDrain());
    }

    @Test
    void snapshotsAreSortedAndFilteredBySubstring() {
        for (String key : List.of("orders-eu", "billing", "orders-us", "Orders-x")) {
            gatekeeper.publish(key, FlowConfig.parse("rate=1"));
        }
        gatekeeper.publish(FlowController.UNKEYED, null);
        assertEquals(List.of("Orders-x", "billing", "orders-eu", "orders-us"), keys(engine.snapshots(null)));
        assertEquals(List.of("Orders-x", "billing", "orders-eu", "orders-us"), keys(engine.snapshots("")));
        assertEquals(List.of("orders-eu", "orders-us"), keys(engine.snapshots("orders")));
        assertEquals(List.of(), keys(engine.snapshots("nothing")));
    }

    @Test
    void busiestKeysAreThoseWithMostMessagesWaitingOrInFlightBusiestFirst() {
        gatekeeper.publish(5, "five-busy", FlowConfig.parse("rate=1, period=1h"));
        gatekeeper.publish(3, "two-flying-one-waiting", FlowConfig.parse("parallelism=2"));
        gatekeeper.publish(2, "two-busy", FlowConfig.parse("rate=1, period=1h"));
        gatekeeper.publish(20, FlowController.UNKEYED, null);
        String idle = gatekeeper.publish("idle", FlowConfig.parse("parallelism=1"));
        gatekeeper.drain();
        gatekeeper.end(idle);

        assertEquals(List.of("five-busy", "two-flying-one-waiting"), keys(engine.busiest(2)));
        assertEquals(List.of("five-busy", "two-flying-one-waiting", "two-busy"), keys(engine.busiest(10)));
        assertEquals(4 + 1 + 1, engine.waitingTotal(), "keyed waitlists only, as their snapshots report them");
    }

    @Test
    void nextWakeUpMillis() {
        assertEquals(Long.MAX_VALUE, engine.nextWakeUpMillis(), "nothing at all");

        gatekeeper.publish("s", FlowConfig.parse("rate=1"), Duration.ofSeconds(30));
        assertEquals(clock.millis() + 30_000, engine.nextWakeUpMillis(), "the next due message");

        gatekeeper.publish("r", FlowConfig.parse("rate=1, period=10s"));
        assertEquals(clock.millis(), engine.nextWakeUpMillis(), "a key may be ready now");
        gatekeeper.publish("r", FlowConfig.parse("rate=1, period=10s"));
        gatekeeper.drain();
        assertEquals(clock.millis() + 10_000, engine.nextWakeUpMillis(), "the end of r's rate window");

        gatekeeper.hideOnce("p");
        gatekeeper.publish("p", FlowConfig.parse("parallelism=1"));
        gatekeeper.drain();
        assertEquals(clock.millis() + 1, engine.nextWakeUpMillis(), "p's backoff");
        clock.advanceMillis(1);
        gatekeeper.drain();
        clock.advanceSeconds(10);
        gatekeeper.drain();
        assertEquals(VirtualClock.START.toEpochMilli() + 30_000, engine.nextWakeUpMillis(), "s is due");

        clock.advanceSeconds(20);
        gatekeeper.drain();
        assertEquals(VirtualClock.START.toEpochMilli() + SimulatedBroker.LEASE.toMillis(), engine.nextWakeUpMillis(),
                "the first lease expiry");
        gatekeeper.endAll();
        assertEquals(Long.MAX_VALUE, engine.nextWakeUpMillis());
    }

    @Test
    void anIdleGatekeeperSleepsUntilTheNextWakeUpWithinOneMillisecondAndTheTick() {
        assertEquals(Long.MAX_VALUE, engine.millisUntilWakeUp(10), "nothing at all: only an event can help");

        gatekeeper.publish("r", FlowConfig.parse("rate=1, period=1s"));
        assertEquals(1, engine.millisUntilWakeUp(10), "a key may start now: the shortest sleep, never 0");
        gatekeeper.publish("r", FlowConfig.parse("rate=1, period=1s"));
        gatekeeper.drain();
        assertEquals(10, engine.millisUntilWakeUp(10), "the window ends in a second: a tick");
        clock.advanceMillis(997);
        assertEquals(3, engine.millisUntilWakeUp(10), "the window ends in 3 ms: exactly then");
        clock.advanceMillis(5);
        assertEquals(1, engine.millisUntilWakeUp(10), "the window ended before the pass: at once");
    }

    @Test
    void aMessageFallingDueIsWaitedForALittleLongerThanItsDueInstant() {
        gatekeeper.publish("s", FlowConfig.parse("rate=1"), Duration.ofMillis(30));
        long slack = FlowController.DUE_SLACK.toMillis();

        assertEquals(clock.millis() + 30, engine.nextWakeUpMillis(), "the engine's own instant is the due one");
        assertEquals(30 + slack, engine.millisUntilWakeUp(1_000), "the broker releases it after its due instant");
        clock.advanceMillis(30);
        assertEquals(slack, engine.millisUntilWakeUp(1_000));
    }

    @Test
    void noWakeUpForKeysBlockedByGlobalParallelismOrTheirParallelism() {
        SimulatedBroker gatekeeper = new SimulatedBroker(1);
        gatekeeper.publish(2, "a", FlowConfig.parse("parallelism=5"));
        gatekeeper.publish(2, "b", FlowConfig.parse("parallelism=1"));
        gatekeeper.drain();
        long firstLease = gatekeeper.clock.millis() + SimulatedBroker.LEASE.toMillis();
        assertEquals(firstLease, gatekeeper.engine.nextWakeUpMillis());
    }

    @Test
    void forgetsIdleKeysOnly() {
        String id = gatekeeper.publish("done", FlowConfig.parse("rate=1"));
        gatekeeper.publish("busy", FlowConfig.parse("parallelism=1"));
        gatekeeper.drain();
        gatekeeper.end(id);
        engine.pause("paused");
        engine.pin("pinned", 1, null, null);
        assertEquals(List.of(), engine.forgetKeysIdleFor(Duration.ZERO), "done's rate window is still open");
        clock.advanceSeconds(1);
        assertEquals(List.of("done"), engine.forgetKeysIdleFor(Duration.ZERO));
        assertEquals(List.of("busy", "paused", "pinned"), keys(engine.snapshots(null)));
        assertTrue(engine.snapshot("done").isEmpty());
    }

    @Test
    void forgetsAKeyOnlyAfterItWasIdleForTheGivenTime() {
        String first = gatekeeper.publish("k", FlowConfig.parse("parallelism=2"));
        gatekeeper.drain();
        clock.advanceSeconds(30);
        gatekeeper.end(first);
        clock.advanceSeconds(59);
        assertEquals(List.of(), engine.forgetKeysIdleFor(Duration.ofMinutes(1)), "its attempt ended 59 s ago");
        clock.advanceSeconds(1);
        assertEquals(List.of("k"), engine.forgetKeysIdleFor(Duration.ofMinutes(1)));

        String again = gatekeeper.publish("k", FlowConfig.parse("parallelism=3"));
        gatekeeper.drain();
        assertEquals(3, snapshot().parallelismMax(), "a forgotten key starts afresh with its next message");
        gatekeeper.end(again);
    }

    @Test
    void aResumeCountsAsActivity() {
        engine.pause("k");
        clock.advanceSeconds(120);
        engine.resume("k");
        assertEquals(List.of(), engine.forgetKeysIdleFor(Duration.ofMinutes(1)), "resumed just now");
        clock.advanceSeconds(60);
        assertEquals(List.of("k"), engine.forgetKeysIdleFor(Duration.ofMinutes(1)));
    }

    BlockedBy blockedByAfter(Runnable action) {
        action.run();
        return snapshot().blockedBy();
    }

    static List<String> keys(List<KeySnapshot> snapshots) {
        return snapshots.stream().map(KeySnapshot::key).toList();
    }

    KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
