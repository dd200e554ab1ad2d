package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flowcontrol.entity.FlowConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rate windows are anchored at the instants requests actually leave, so latency between the gatekeeper's decision
 * and the worker's send (cold start, GC) never lets the destination see two windows' worth within one period.
 */
class SendAnchoredWindowTest {

    private final VirtualClock clock = new VirtualClock();
    private final FlowController engine = new FlowController(clock, 100);
    private final FlowConfig twoPerSecond = FlowConfig.parse("rate=2, period=1s");

    @Test
    void aLateSendPushesTheWindowEnd() {
        admit(4);
        start("m0");
        start("m1");
        clock.advanceMillis(400);
        engine.sent("m0", clock.millis());
        engine.sent("m1", clock.millis());

        clock.advanceMillis(600); // one period after the decision, but only 600 ms after the requests left
        assertEquals(Optional.empty(), engine.nextKey());
        assertEquals(clock.millis() + 400, engine.nextWakeUpMillis());
        clock.advanceMillis(400);
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    @Test
    void aWindowCannotEndWhileOneOfItsStartsHasNotLeft() {
        admit(3);
        start("m0");
        start("m1");
        engine.sent("m0", clock.millis());

        clock.advanceMillis(5_000);
        assertEquals(Optional.empty(), engine.nextKey(), "m1 may still leave any moment");
        engine.sent("m1", clock.millis());
        assertEquals(Optional.empty(), engine.nextKey(), "m1 left now: one more period");
        clock.advanceMillis(1_000);
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    @Test
    void anAttemptThatEndsWithoutSendingReleasesItsWindow() {
        admit(3);
        start("m0");
        start("m1");
        engine.sent("m0", clock.millis());
        engine.attemptEnded("m1"); // e.g. the worker found it cancelled

        clock.advanceMillis(1_000);
        assertEquals(Optional.of("k"), engine.nextKey());
    }

    @Test
    void aSendReportedAfterTheAttemptEndedIsIgnored() {
        admit(3);
        start("m0");
        engine.attemptEnded("m0");
        engine.sent("m0", clock.millis() + 10_000);

        clock.advanceMillis(1_000);
        assertTrue(engine.nextKey().isPresent());
    }

    private void admit(int count) {
        for (int i = 0; i < count; i++) {
            engine.admit("k", "m" + i, twoPerSecond, clock.millis());
        }
    }

    private void start(String id) {
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", id, twoPerSecond, clock.millis() + 60_000);
    }
}
