package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.platform.control.CoreConnection;
import java.util.List;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQIOErrorException;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gatekeeper's moves against a real (in-VM, non-persistent) Artemis broker, with takes that can be made to fail. */
class ForwardingTest {

    private static final String URL = "vm://72";
    private static final FlowConfig ONE_AT_A_TIME = new FlowConfig(1, null, null);

    private final VirtualClock clock = new VirtualClock();
    private final FlowController engine = new FlowController(clock, 100);
    private final FlowEvents events = new FlowEvents();
    private EmbeddedActiveMQ broker;
    private FailingTakes queues;
    private Forwarding forwarding;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).addAcceptorConfiguration("in-vm", URL));
        broker.start();
        queues = new FailingTakes(CoreConnection.open(URL, null, null, HoldingQueues::tuned));
        // time stands still for the commits' wait bound: how many takes a call makes does not depend on their speed
        forwarding = new Forwarding(engine, queues, events, clock, () -> 0L, () -> false);
    }

    @AfterEach
    void stopBroker() throws Exception {
        queues.close();
        broker.stop();
    }

    @Test
    void aMoveThatFailsMidwayForwardsNothingAndItsMessagesWaitAgainNotInFlight() throws Exception {
        waiting(ticket("msg_a", "a"), ticket("msg_b", "b"));
        queues.failTake = 2;

        ActiveMQException failure = assertThrows(ActiveMQException.class, forwarding::moveGranted);

        assertSame(FailingTakes.FAILURE, failure);
        assertEquals(List.of(), queues.browseDeliveryQueue(), "nothing forwarded");
        for (String key : List.of("a", "b")) {
            KeySnapshot snapshot = engine.snapshot(key).orElseThrow();
            assertEquals(1, snapshot.waitListSize(), key + " waits");
            assertEquals(0, snapshot.parallelismCount(), key + " is not in flight");
        }
    }

    @Test
    void afterAFailedMoveTheNextForwardsEachMessageOnce() throws Exception {
        DeliveryTicket a = ticket("msg_a", "a");
        DeliveryTicket b = ticket("msg_b", "b");
        waiting(a, b);
        queues.failTake = 2;
        assertThrows(ActiveMQException.class, forwarding::moveGranted);

        assertFalse(forwarding.moveGranted(), "all granted moved");

        assertEquals(List.of(a, b), queues.browseDeliveryQueue().stream().sorted(BY_ID).toList());
        assertEquals(Optional.empty(), queues.take("a"), "taken for good");
        assertEquals(1, engine.snapshot("a").orElseThrow().parallelismCount(), "in flight once");
    }

    @Test
    void aCancelledHeadDroppedByAFailedMoveIsDroppedAgainByTheNext() throws Exception {
        DeliveryTicket cancelled = ticket("msg_cancelled", "a");
        DeliveryTicket next = ticket("msg_next", "a");
        waiting(cancelled, next);
        events.cancelled(cancelled);
        events.applyTo(engine);
        queues.failTake = 2;
        assertThrows(ActiveMQException.class, forwarding::moveGranted);

        forwarding.moveGranted();

        assertEquals(List.of(next), queues.browseDeliveryQueue());
    }

    private void waiting(DeliveryTicket... tickets) throws Exception {
        try (HoldingQueueSender sender = new HoldingQueueSender(
                CoreConnection.open(URL, null, null, HoldingQueueSender.tuning(false)))) {
            for (DeliveryTicket ticket : tickets) {
                sender.send(List.of(new Waitlist.Admission(ticket, 0)));
                engine.admit(ticket.flowKey(), ticket.messageId(), ticket.config(), clock.millis());
            }
            sender.commit();
        }
    }

    private static DeliveryTicket ticket(String id, String key) {
        return new DeliveryTicket(id, key, ONE_AT_A_TIME, 30_000, 0);
    }

    private static final java.util.Comparator<DeliveryTicket> BY_ID =
            java.util.Comparator.comparing(DeliveryTicket::messageId);

    /** Holding queues whose n-th take (counted from 1) fails as a lost connection would. */
    private static final class FailingTakes extends HoldingQueues {
        static final ActiveMQException FAILURE = new ActiveMQIOErrorException("connection lost (test)");
        int failTake;
        private int takes;

        FailingTakes(CoreConnection connection) throws ActiveMQException {
            super(connection, 16);
        }

        @Override
        public Optional<DeliveryTicket> take(String flowKey) throws ActiveMQException {
            if (++takes == failTake) {
                throw FAILURE;
            }
            return super.take(flowKey);
        }
    }
}
