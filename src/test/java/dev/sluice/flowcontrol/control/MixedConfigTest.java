package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MixedConfigTest {

    SimulatedBroker gatekeeper = new SimulatedBroker(1_000);
    FlowController engine = gatekeeper.engine;
    VirtualClock clock = gatekeeper.clock;

    @Test
    void oldAndNewUndeliveredMessagesAllowTheHighestParallelism() {
        List<String> old = gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=1"));
        List<String> fresh = gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=2"));
        assertEquals(2, snapshot().parallelismMax());

        assertEquals(old.subList(0, 2), gatekeeper.drain());
        gatekeeper.end(old.get(0));
        gatekeeper.end(old.get(1));
        assertEquals(List.of(old.get(2), fresh.get(0)), gatekeeper.drain());
        gatekeeper.end(old.get(2));
        assertEquals(2, snapshot().parallelismMax(), "the old configuration is gone, the new one rules");
        assertEquals(List.of(fresh.get(1)), gatekeeper.drain());
    }

    @Test
    void afterTheOldOnesEndTheNewConfigurationApplies() {
        List<String> old = gatekeeper.publish(2, "k", FlowConfig.parse("parallelism=10"));
        gatekeeper.drain();
        List<String> fresh = gatekeeper.publish(4, "k", FlowConfig.parse("parallelism=1"));
        assertEquals(10, snapshot().parallelismMax());
        assertEquals(4, gatekeeper.drain().size(), "still 10 while the old ones are in flight");
        gatekeeper.end(old.get(0));
        assertEquals(10, snapshot().parallelismMax());
        gatekeeper.end(old.get(1));
        assertEquals(1, snapshot().parallelismMax());
        gatekeeper.end(fresh.get(0));
        assertEquals(1, snapshot().parallelismMax());
    }

    @Test
    void aMessageWithoutParallelismLimitLiftsIt() {
        gatekeeper.publish(3, "k", FlowConfig.parse("parallelism=1"));
        gatekeeper.publish("k", FlowConfig.parse("rate=100"));
        assertEquals(0, snapshot().parallelismMax());
        assertEquals(4, gatekeeper.drain().size());
    }

    @Test
    void theFastestRatePerTimeWinsWithItsOwnPeriod() {
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=10, period=1m"));
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=1, period=1s"));
        KeySnapshot snapshot = snapshot();
        assertEquals(1, snapshot.rateMax());
        assertEquals(1, snapshot.ratePeriodSeconds());
        assertEquals(1, gatekeeper.drain().size());
        clock.advanceSeconds(1);
        assertEquals(1, gatekeeper.drain().size());
    }

    @Test
    void aMessageWithoutRateLimitLiftsIt() {
        gatekeeper.publish(5, "k", FlowConfig.parse("rate=1, period=1m"));
        gatekeeper.publish("k", FlowConfig.parse("parallelism=10"));
        assertEquals(0, snapshot().rateMax());
        assertEquals(6, gatekeeper.drain().size());
    }

    @Test
    void parallelismAndRateMayComeFromDifferentMessages() {
        gatekeeper.publish("k", FlowConfig.parse("parallelism=2, rate=100"));
        gatekeeper.publish("k", FlowConfig.parse("parallelism=8, rate=1"));
        assertEquals(8, snapshot().parallelismMax());
        assertEquals(100, snapshot().rateMax());
    }

    @Test
    void theKeyKeepsItsLastConfigurationWhenNothingIsLeft() {
        List<String> ids = gatekeeper.publish(2, "k", FlowConfig.parse("parallelism=3, rate=7, period=1m"));
        gatekeeper.drain();
        gatekeeper.endAll();
        KeySnapshot snapshot = snapshot();
        assertEquals(3, snapshot.parallelismMax());
        assertEquals(7, snapshot.rateMax());
        assertEquals(60, snapshot.ratePeriodSeconds());
        assertEquals(2, ids.size());

        gatekeeper.publish("k", FlowConfig.parse("parallelism=1"));
        assertEquals(1, snapshot().parallelismMax(), "the next arrival sets it");
        assertEquals(0, snapshot().rateMax());
    }

    @Test
    void aRateWindowStartedUnderAFastConfigurationIsJudgedByTheCurrentOne() {
        List<String> fast = gatekeeper.publish(5, "k", FlowConfig.parse("rate=5, period=10s"));
        gatekeeper.drain();
        gatekeeper.publish(3, "k", FlowConfig.parse("rate=1, period=1s"));
        fast.forEach(gatekeeper::end);
        assertEquals(1, snapshot().rateMax());
        assertEquals(1, snapshot().ratePeriodSeconds());
        assertEquals(List.of(), gatekeeper.drain(), "the window of 1 s is over-used");
        clock.advanceSeconds(1);
        assertEquals(1, gatekeeper.drain().size(), "the 1 s window has ended");
    }

    KeySnapshot snapshot() {
        return engine.snapshot("k").orElseThrow();
    }
}
