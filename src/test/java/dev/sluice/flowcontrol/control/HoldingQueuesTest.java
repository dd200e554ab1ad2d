package dev.sluice.flowcontrol.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.flowcontrol.entity.Queues;
import dev.sluice.platform.control.CoreConnection;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.activemq.artemis.api.core.ActiveMQTransactionOutcomeUnknownException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gatekeeper's forwards against a real (in-VM, non-persistent) Artemis broker, read back as the workers do. */
class HoldingQueuesTest {

    private static final String URL = "vm://71";

    private EmbeddedActiveMQ broker;
    private HoldingQueues queues;

    @BeforeEach
    void startBroker() throws Exception {
        broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl().setPersistenceEnabled(false)
                .setSecurityEnabled(false).addAcceptorConfiguration("in-vm", URL));
        broker.start();
        queues = new HoldingQueues(CoreConnection.open(URL, null, null, HoldingQueues::tuned), 16);
    }

    @AfterEach
    void stopBroker() throws Exception {
        queues.close();
        broker.stop();
    }

    @Test
    void aCommitsTicketsReachTheDeliveryQueueInMessagesOfAtMostTheBatchSize() throws Exception {
        List<DeliveryTicket> tickets = tickets(100);
        tickets.forEach(queues::forward);
        queues.commit();

        assertEquals(tickets, queues.browseDeliveryQueue());
        List<List<DeliveryTicket>> received = receivedByAWorker();
        assertEquals(List.of(16, 16, 16, 16, 16, 16, 4), received.stream().map(List::size).toList());
        assertEquals(tickets, received.stream().flatMap(List::stream).toList());
    }

    @Test
    void aRollbackDropsTheTicketsForwardedSinceTheLastCommit() throws Exception {
        tickets(20).forEach(queues::forward);
        queues.rollback();
        queues.forward(tickets(1).get(0));
        queues.commit();

        assertEquals(tickets(1), queues.browseDeliveryQueue());
    }

    @Test
    void aCommitThatFailsOnceAskedForHasAnUnknownOutcome() throws Exception {
        DeliveryTicket ticket = new DeliveryTicket("msg_1", "tenant-1", new FlowConfig(2, 5, null), 30_000, 1);
        try (HoldingQueueSender sender = new HoldingQueueSender(
                CoreConnection.open(URL, null, null, HoldingQueueSender.tuning(false)))) {
            sender.send(List.of(new Waitlist.Admission(ticket, 0)));
            sender.commit();
        }
        // not waiting for a reconnect: the commit fails at once
        try (HoldingQueues cut = new HoldingQueues(CoreConnection.open(URL, null, null,
                locator -> HoldingQueues.tuned(locator).setReconnectAttempts(0)), 16)) {
            assertEquals(Optional.of(ticket), cut.take("tenant-1"));
            queues.close(); // before the broker stops, or closing waits for a reconnect
            broker.stop();

            ActiveMQTransactionOutcomeUnknownException failure =
                    assertThrows(ActiveMQTransactionOutcomeUnknownException.class, cut::commit);
            assertNotNull(failure.getCause(), "the broker's failure is kept");
        }
    }

    @Test
    void aTicketThePublishesSendIsTakenFromItsHoldingQueueAsItWasSent() throws Exception {
        DeliveryTicket ticket = new DeliveryTicket("msg_1", "tenant-1", new FlowConfig(2, 5, null), 30_000, 1);
        try (HoldingQueueSender sender = new HoldingQueueSender(
                CoreConnection.open(URL, null, null, HoldingQueueSender.tuning(false)))) {
            sender.send(List.of(new Waitlist.Admission(ticket, 0)));
            sender.commit();
        }

        assertEquals(Optional.of(ticket), queues.take("tenant-1"));
    }

    @Test
    void aTicketSentOverJmsAsRetriesAndCallbacksSendItIsTakenAsItWasSent() throws Exception {
        DeliveryTicket ticket = new DeliveryTicket("msg_2", "tenant-2", new FlowConfig(null, 3, null), 1_000, 4);
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             JMSContext context = factory.createContext()) {
            BytesMessage message = context.createBytesMessage();
            message.writeBytes(TicketBatch.of(ticket).encode());
            context.createProducer().send(context.createQueue(Queues.holding("tenant-2")), message);
        }

        assertEquals(Optional.of(ticket), queues.take("tenant-2"));
    }

    @Test
    void aTicketInTheMessagesPropertiesAsOlderVersionsWroteItIsStillRead() throws Exception {
        try (CoreConnection older = CoreConnection.open(URL, null, null, locator -> locator)) {
            ClientSession session = older.session();
            for (String queue : List.of(Queues.holding("old"), Queues.DELIVERY)) {
                ClientMessage message = session.createMessage(true);
                message.putStringProperty("sluice_id", "msg_old");
                message.putStringProperty("sluice_key", "old");
                message.putIntProperty("sluice_parallelism", 3);
                message.putLongProperty("sluice_period", 1);
                message.putLongProperty("sluice_timeout", 30_000);
                message.putIntProperty("sluice_retried", 2);
                message.setRoutingType(RoutingType.ANYCAST);
                session.createProducer().send(queue, message);
            }
            session.commit();
        }
        DeliveryTicket old = new DeliveryTicket("msg_old", "old", new FlowConfig(3, null, null), 30_000, 2);

        assertEquals(Optional.of(old), queues.take("old"));
        assertEquals(List.of(old), queues.browseDeliveryQueue());
    }

    @Test
    void aMessageThatCannotBeReadIsMovedAsideWithTheCommitAndTheNextIsTaken() throws Exception {
        DeliveryTicket before = tickets(1).get(0);
        DeliveryTicket after = new DeliveryTicket("msg_after", "mixed", FlowConfig.unlimited(), 30_000, 0);
        byte[] corrupt = {(byte) 0x7f, 1, 2, 3};
        try (CoreConnection producer = CoreConnection.open(URL, null, null, locator -> locator)) {
            ClientSession session = producer.session();
            for (byte[] body : List.of(TicketBatch.of(before).encode(), corrupt, TicketBatch.of(after).encode())) {
                ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
                message.getBodyBuffer().writeBytes(body);
                message.putStringProperty("origin", "test");
                message.setRoutingType(RoutingType.ANYCAST);
                session.createProducer().send(Queues.holding("mixed"), message);
            }
            session.commit();
        }

        assertEquals(Optional.of(before), queues.take("mixed"));
        assertEquals(Optional.of(after), queues.take("mixed"), "the unreadable one is skipped");
        assertEquals(List.of(), unreadable(), "moved with the commit only");
        queues.commit();

        List<ClientMessage> moved = unreadable();
        assertEquals(1, moved.size());
        assertEquals(Queues.holding("mixed"), moved.get(0).getStringProperty(Queues.UNREADABLE_FROM));
        assertTrue(moved.get(0).getStringProperty(Queues.UNREADABLE_BECAUSE).contains("IllegalArgumentException"));
        assertEquals("test", moved.get(0).getStringProperty("origin"));
        assertEquals(Queues.holding("mixed"), moved.get(0).getStringProperty(Message.HDR_ORIGINAL_ADDRESS),
                "the broker's retry operation puts it back");
        byte[] body = new byte[moved.get(0).getBodyBuffer().readableBytes()];
        moved.get(0).getBodyBuffer().readBytes(body);
        assertArrayEquals(corrupt, body);
        assertEquals(Optional.empty(), queues.take("mixed"), "acknowledged with the commit");
    }

    @Test
    void aTakeThatOnlyMovedAnUnreadableMessageAsksForTheCommitThatMovesIt() throws Exception {
        sendCorrupt(Queues.holding("corrupt"));

        assertEquals(Optional.empty(), queues.take("corrupt"));
        assertTrue(queues.movedUnreadable());
        queues.commit();

        assertFalse(queues.movedUnreadable());
        assertEquals(1, unreadable().size());
    }

    @Test
    void aMessageOfTheDeliveryQueueThatCannotBeReadIsLeftOutOfItsBrowse() throws Exception {
        sendCorrupt(Queues.DELIVERY);
        queues.forward(tickets(1).get(0));
        queues.commit();

        assertEquals(tickets(1), queues.browseDeliveryQueue());
    }

    /** A bytes message whose body is no ticket batch Sluice knows. */
    private static void sendCorrupt(String queue) throws Exception {
        try (CoreConnection producer = CoreConnection.open(URL, null, null, locator -> locator)) {
            ClientSession session = producer.session();
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            message.getBodyBuffer().writeBytes(new byte[] {(byte) 0x7f});
            message.setRoutingType(RoutingType.ANYCAST);
            session.createProducer().send(queue, message);
            session.commit();
        }
    }

    private List<ClientMessage> unreadable() throws Exception {
        List<ClientMessage> messages = new ArrayList<>();
        try (CoreConnection reader = CoreConnection.open(URL, null, null, locator -> locator)) {
            reader.browse(Queues.UNREADABLE, messages::add);
        }
        return messages;
    }

    private static List<DeliveryTicket> tickets(int count) {
        return IntStream.range(0, count).mapToObj(i ->
                new DeliveryTicket("msg_" + i, "key-" + i % 3, new FlowConfig(i + 1, null, null), 30_000, 0)).toList();
    }

    /** The delivery queue's messages as the workers' JMS consumer reads them. */
    private static List<List<DeliveryTicket>> receivedByAWorker() throws Exception {
        List<List<DeliveryTicket>> batches = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(URL);
             JMSContext context = factory.createContext();
             JMSConsumer consumer = context.createConsumer(context.createQueue(Queues.DELIVERY))) {
            BytesMessage message;
            while ((message = (BytesMessage) consumer.receive(500)) != null) {
                List<DeliveryTicket> batch = TicketBatch.decode(message.getBody(byte[].class)).tickets();
                assertEquals(batch.size(), message.getIntProperty(TicketBatch.COUNT));
                batches.add(batch);
            }
        }
        return batches;
    }
}
