package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.platform.control.BrokerBootstrap;
import dev.sluice.platform.control.CoreConnection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQIOErrorException;
import org.apache.activemq.artemis.api.core.ActiveMQTransactionOutcomeUnknownException;
import org.apache.activemq.artemis.api.core.ActiveMQTransactionRolledBackException;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gatekeeper's moves against a real (in-VM, non-persistent) Artemis broker with Sluice's queue settings, with takes
 * and commits that can be made to fail.
 */
class ForwardingTest {

    private static final String URL = "vm://72";
    private static final FlowConfig ONE_AT_A_TIME = new FlowConfig(1, null, null);
    private static final FlowConfig TWO_AT_A_TIME = new FlowConfig(2, null, null);
    private static final Comparator<DeliveryTicket> BY_ID = Comparator.comparing(DeliveryTicket::messageId);

    private final VirtualClock clock = new VirtualClock();
    private final FlowController engine = new FlowController(clock, 100);
    private final FlowEvents events = new FlowEvents();
    private EmbeddedActiveMQ broker;
    private FailingQueues queues;
    private Forwarding forwarding;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedActiveMQ().setConfiguration(BrokerBootstrap.addQueueSettings(new ConfigurationImpl()
                .setPersistenceEnabled(false).setSecurityEnabled(false).addAcceptorConfiguration("in-vm", URL),
                1024 * 1024, 256 * 1024));
        broker.start();
        queues = new FailingQueues(CoreConnection.open(URL, null, null, HoldingQueues::tuned));
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
        waiting(ticket("msg_a", "a", ONE_AT_A_TIME), ticket("msg_b", "b", ONE_AT_A_TIME));
        queues.failTake = 2;

        ActiveMQException failure = assertThrows(ActiveMQException.class, forwarding::moveGranted);

        assertSame(FailingQueues.LOST, failure);
        assertEquals(List.of(), queues.browseDeliveryQueue(), "nothing forwarded");
        for (String key : List.of("a", "b")) {
            KeySnapshot snapshot = engine.snapshot(key).orElseThrow();
            assertEquals(1, snapshot.waitListSize(), key + " waits");
            assertEquals(0, snapshot.parallelismCount(), key + " is not in flight");
        }
    }

    @Test
    void afterAFailedMoveTheNextForwardsEachMessageOnce() throws Exception {
        DeliveryTicket a = ticket("msg_a", "a", ONE_AT_A_TIME);
        DeliveryTicket b = ticket("msg_b", "b", ONE_AT_A_TIME);
        waiting(a, b);
        queues.failTake = 2;
        assertThrows(ActiveMQException.class, forwarding::moveGranted);

        assertFalse(forwarding.moveGranted(), "all granted moved");

        assertEquals(List.of(a, b), queues.browseDeliveryQueue().stream().sorted(BY_ID).toList());
        assertEquals(Optional.empty(), queues.take("a"), "taken for good");
        assertEquals(1, engine.snapshot("a").orElseThrow().parallelismCount(), "in flight once");
    }

    /** Also for keys with dots (holding queue sluice.holding.tenant.a) and messages without a key (sluice.holding). */
    @ParameterizedTest
    @ValueSource(strings = {"a", "tenant.a", ""})
    void aKeysMessagesKeepTheirOrderAfterAFailedMove(String key) throws Exception {
        DeliveryTicket first = ticket("msg_1", key, TWO_AT_A_TIME);
        DeliveryTicket second = ticket("msg_2", key, TWO_AT_A_TIME);
        DeliveryTicket other = ticket("msg_3", "b", TWO_AT_A_TIME);
        waiting(first, second, other);
        queues.failTake = 3; // the key's first, b's, then the key's second fails

        assertThrows(ActiveMQException.class, forwarding::moveGranted);
        forwarding.moveGranted();

        assertEquals(List.of(first, second), queues.browseDeliveryQueue().stream()
                .filter(ticket -> ticket.flowKey().equals(key)).toList(), "taken back, the first stays first");
    }

    @Test
    void aFailedCommitGivesItsStartsRateSlotBack() throws Exception {
        FlowConfig onePerHour = FlowConfig.parse("rate=1, period=1h");
        DeliveryTicket ticket = ticket("msg_a", "a", onePerHour);
        waiting(ticket);
        queues.failCommit = new ActiveMQTransactionRolledBackException("rolled back by a failover (test)");
        assertThrows(ActiveMQException.class, forwarding::moveGranted);
        queues.failCommit = null;

        forwarding.moveGranted();

        assertEquals(List.of(ticket), queues.browseDeliveryQueue(), "it went at once, not an hour later");
        assertEquals(1, engine.snapshot("a").orElseThrow().rateCount());
    }

    @Test
    void aCancelledHeadDroppedByAFailedMoveIsDroppedAgainByTheNext() throws Exception {
        DeliveryTicket cancelled = ticket("msg_cancelled", "a", ONE_AT_A_TIME);
        DeliveryTicket next = ticket("msg_next", "a", ONE_AT_A_TIME);
        waiting(cancelled, next);
        events.cancelled(cancelled);
        events.applyTo(engine);
        queues.failTake = 2;
        assertThrows(ActiveMQException.class, forwarding::moveGranted);

        forwarding.moveGranted();

        assertEquals(List.of(next), queues.browseDeliveryQueue());
    }

    @Test
    void aCommitWithAnUnknownOutcomeThatWentThroughExceedsNoLimit() throws Exception {
        DeliveryTicket first = ticket("msg_1", "a", ONE_AT_A_TIME);
        DeliveryTicket second = ticket("msg_2", "a", ONE_AT_A_TIME);
        waiting(first, second);
        queues.failCommit = new ActiveMQTransactionOutcomeUnknownException("failover during commit (test)");
        queues.commitBeforeFailing = true;
        assertThrows(ActiveMQTransactionOutcomeUnknownException.class, forwarding::moveGranted);
        queues.failCommit = null;

        forwarding.moveGranted();

        assertEquals(List.of(first), queues.browseDeliveryQueue(), "the first is still in flight");
        assertEquals(1, engine.snapshot("a").orElseThrow().parallelismCount());
    }

    @Test
    void aCommitWithAnUnknownOutcomeThatDidNotGoThroughStrandsNothing() throws Exception {
        DeliveryTicket ticket = ticket("msg_a", "a", ONE_AT_A_TIME);
        waiting(ticket);
        queues.failCommit = new ActiveMQTransactionOutcomeUnknownException("failover during commit (test)");
        assertThrows(ActiveMQTransactionOutcomeUnknownException.class, forwarding::moveGranted);
        queues.failCommit = null;
        forwarding.moveGranted();
        assertEquals(List.of(), queues.browseDeliveryQueue(), "its slot is held until its lease expires");

        clock.advanceMillis(ticket.leaseMillis());
        forwarding.moveGranted();

        assertEquals(List.of(ticket), queues.browseDeliveryQueue());
    }

    @Test
    void aCommitLeftUnansweredLeavesNoTakeForALaterCommit() throws Exception {
        DeliveryTicket ticket = ticket("msg_a", "a", ONE_AT_A_TIME);
        waiting(ticket);
        queues.commitUnanswered = true;
        assertThrows(ActiveMQTransactionOutcomeUnknownException.class, forwarding::moveGranted);
        queues.commitUnanswered = false;

        clock.advanceMillis(ticket.leaseMillis());
        forwarding.moveGranted();

        assertEquals(List.of(ticket), queues.browseDeliveryQueue(), "taken again, not committed away without it");
    }

    @Test
    void aFailureToCloseIdleConsumersAfterTheCommitLeavesTheMovesDone() throws Exception {
        DeliveryTicket ticket = ticket("msg_a", "a", ONE_AT_A_TIME);
        waiting(ticket);
        queues.failClosing = true;

        assertThrows(ActiveMQException.class, forwarding::moveGranted);

        assertEquals(List.of(ticket), queues.browseDeliveryQueue());
        assertEquals(1, engine.snapshot("a").orElseThrow().parallelismCount());
        assertEquals(0, engine.snapshot("a").orElseThrow().waitListSize());
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

    private static DeliveryTicket ticket(String id, String key, FlowConfig config) {
        return new DeliveryTicket(id, key, config, 30_000, 0);
    }

    /**
     * Holding queues whose n-th take (counted from 1) fails as a lost connection would, whose commits fail as asked
     * (after rolling back, as a broker that lost the session does, or after committing; or the broker's commit itself
     * goes unanswered, neither done nor rolled back), and whose closing of idle consumers fails as asked.
     */
    private static final class FailingQueues extends HoldingQueues {
        static final ActiveMQException LOST = new ActiveMQIOErrorException("connection lost (test)");
        int failTake;
        ActiveMQException failCommit;
        boolean commitBeforeFailing;
        boolean commitUnanswered;
        boolean failClosing;
        private int takes;

        FailingQueues(CoreConnection connection) throws ActiveMQException {
            super(connection, 16);
        }

        @Override
        public Optional<DeliveryTicket> take(String flowKey) throws ActiveMQException {
            if (++takes == failTake) {
                throw LOST;
            }
            return super.take(flowKey);
        }

        @Override
        public void commit() throws ActiveMQException {
            if (failCommit == null) {
                super.commit();
                return;
            }
            if (commitBeforeFailing) {
                super.commit();
            } else {
                super.rollback();
            }
            throw failCommit;
        }

        @Override
        void commitSession() throws ActiveMQException {
            if (commitUnanswered) {
                throw new ActiveMQTransactionOutcomeUnknownException("no answer to the commit (test)");
            }
            super.commitSession();
        }

        @Override
        public void closeLeastRecentlyUsed() throws ActiveMQException {
            if (failClosing) {
                throw LOST;
            }
            super.closeLeastRecentlyUsed();
        }
    }
}
