package dev.sluice.flowcontrol.control;

import dev.sluice.flowcontrol.entity.FlowConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelismTest {

    @Test
    void atMostParallelismInFlight() {
        SimulatedBroker gatekeeper = new SimulatedBroker(100);
        List<String> ids = gatekeeper.publish(5, "k", FlowConfig.parse("parallelism=2"));

        assertEquals(ids.subList(0, 2), gatekeeper.drain());
        assertEquals(BlockedBy.PARALLELISM, gatekeeper.engine.snapshot("k").orElseThrow().blockedBy());

        gatekeeper.end(ids.get(1));
        assertEquals(ids.subList(2, 3), gatekeeper.drain());
        assertEquals(List.of(), gatekeeper.drain());

        gatekeeper.end(ids.get(0));
        gatekeeper.end(ids.get(2));
        assertEquals(ids.subList(3, 5), gatekeeper.drain());
        assertEquals(BlockedBy.EMPTY, gatekeeper.engine.snapshot("k").orElseThrow().blockedBy());
    }

    @Test
    void parallelismIsNotARate() {
        SimulatedBroker gatekeeper = new SimulatedBroker(100);
        List<String> ids = gatekeeper.publish(4, "k", FlowConfig.parse("parallelism=1"));
        for (String id : ids) {
            assertEquals(List.of(id), gatekeeper.drain());
            gatekeeper.end(id);
        }
        assertEquals(4, gatekeeper.engine.snapshot("k").orElseThrow().rateCount(), "all within the same second");
    }

    @Test
    void globalParallelismCapsAllKeysAndTheUnkeyedLane() {
        SimulatedBroker gatekeeper = new SimulatedBroker(3);
        gatekeeper.publish(5, "a", FlowConfig.parse("parallelism=5"));
        gatekeeper.publish(5, "b", FlowConfig.parse("rate=100"));
        gatekeeper.publish(5, FlowController.UNKEYED, null);

        List<String> started = gatekeeper.drain();
        assertEquals(3, started.size());
        assertEquals(List.of("a", "unkeyed", "b"), gatekeeper.startedKeys(started),
                "one per key per round, the unkeyed lane every other turn");
        assertEquals(new GlobalSnapshot(3, 3), gatekeeper.engine.global());
        assertEquals(BlockedBy.GLOBAL_PARALLELISM, gatekeeper.engine.snapshot("a").orElseThrow().blockedBy());

        gatekeeper.end(started.get(2));
        assertEquals(1, gatekeeper.drain().size());

        gatekeeper.engine.globalParallelism(10);
        assertEquals(7, gatekeeper.drain().size());
        assertEquals(new GlobalSnapshot(10, 10), gatekeeper.engine.global());

        gatekeeper.engine.globalParallelism(2);
        assertEquals(List.of(), gatekeeper.drain(), "lowering the cap never preempts, it stops new starts");
    }

    @Test
    void unkeyedLaneIsLimitedOnlyByGlobalParallelism() {
        SimulatedBroker gatekeeper = new SimulatedBroker(50);
        gatekeeper.publish(80, FlowController.UNKEYED, null);
        assertEquals(50, gatekeeper.drain().size());
        gatekeeper.endAll();
        assertEquals(30, gatekeeper.drain().size());
    }

    @Test
    void unkeyedLaneIsNeverListedNorManaged() {
        SimulatedBroker gatekeeper = new SimulatedBroker(5);
        gatekeeper.publish(FlowController.UNKEYED, null);
        gatekeeper.publish("k", FlowConfig.parse("rate=1"));

        assertEquals(Optional.empty(), gatekeeper.engine.snapshot(FlowController.UNKEYED));
        assertEquals(List.of("k"), gatekeeper.engine.snapshots(null).stream().map(KeySnapshot::key).toList());
        assertThrows(IllegalArgumentException.class, () -> gatekeeper.engine.pause(FlowController.UNKEYED));
        assertThrows(IllegalArgumentException.class,
                () -> gatekeeper.engine.pin(FlowController.UNKEYED, 1, null, null));
        assertEquals(KeySettings.NONE, gatekeeper.engine.settings(FlowController.UNKEYED));
    }

    @Test
    void unkeyedConfigurationIsIgnored() {
        SimulatedBroker gatekeeper = new SimulatedBroker(10);
        gatekeeper.publish(5, FlowController.UNKEYED, FlowConfig.parse("parallelism=1"));
        assertEquals(5, gatekeeper.drain().size());
    }

    @Test
    void globalParallelismMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new FlowController(new VirtualClock(), 0));
    }

    @Test
    void keyedMessagesNeedAConfiguration() {
        FlowController engine = new FlowController(new VirtualClock(), 1);
        assertThrows(NullPointerException.class, () -> engine.admit("k", "m", null, 0));
    }

    @Test
    void neverIdleWhileCapacityIsFree() {
        SimulatedBroker gatekeeper = new SimulatedBroker(4);
        gatekeeper.publish(3, "a", FlowConfig.parse("parallelism=1"));
        gatekeeper.publish(3, "b", FlowConfig.parse("parallelism=1"));
        List<String> first = gatekeeper.drain();
        assertEquals(2, first.size());
        assertTrue(gatekeeper.engine.nextKey().isEmpty());
        gatekeeper.end(first.get(0));
        assertEquals(1, gatekeeper.drain().size());
    }
}
