package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.flowcontrol.entity.FlowConfig;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A start whose move the broker may or may not have committed: in flight, and waiting too. */
class MoveInDoubtTest {

    VirtualClock clock = new VirtualClock();
    FlowController engine = new FlowController(clock, 10);
    FlowConfig three = FlowConfig.parse("parallelism=3");

    @Test
    void itStaysInFlightAndWaitsToo() {
        engine.admit("k", "a", three, clock.millis());
        start("a", three);

        engine.moveInDoubt("k", "a", three);

        assertEquals(1, snapshot().parallelismCount());
        assertEquals(1, snapshot().waitListSize());
        assertEquals(1, engine.global().parallelismCount());
    }

    @Test
    void itsConfigurationIsNotCountedTwice() {
        FlowConfig looser = FlowConfig.parse("parallelism=5");
        engine.admit("k", "old", looser, clock.millis());
        start("old", looser);
        engine.moveInDoubt("k", "old", looser);
        engine.admit("k", "new", three, clock.millis());

        assertTrue(engine.attemptEnded("old"), "the move went through after all: its attempt ends");

        assertEquals(3, snapshot().parallelismMax(), "the old configuration left with its attempt");
    }

    @Test
    void takenAgainItsEarlierStartEnds() {
        engine.admit("k", "a", three, clock.millis());
        start("a", three);
        engine.moveInDoubt("k", "a", three);

        start("a", three);

        assertEquals(1, snapshot().parallelismCount());
        assertEquals(0, snapshot().waitListSize());
    }

    @Test
    void aMessageWhoseLeaseExpiredMeanwhileIsAdmittedAgain() {
        engine.admit("k", "a", three, clock.millis());
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", "a", three, clock.millis() + 1_000);
        clock.advanceSeconds(1);
        assertEquals(Optional.empty(), engine.nextKey(), "the expiry is noticed, nothing waits");

        engine.moveInDoubt("k", "a", three);

        assertEquals(1, snapshot().waitListSize());
        assertEquals(0, snapshot().parallelismCount());
        assertEquals(3, snapshot().parallelismMax());
    }

    private void start(String id, FlowConfig config) {
        assertEquals(Optional.of("k"), engine.nextKey());
        engine.started("k", id, config, clock.millis() + 60_000);
    }

    private KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
