package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.flowcontrol.entity.Queues;
import dev.sluice.platform.control.CoreConnection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQNonExistentQueueException;
import org.apache.activemq.artemis.api.core.ActiveMQObjectClosedException;
import org.apache.activemq.artemis.api.core.ActiveMQTransactionOutcomeUnknownException;
import org.apache.activemq.artemis.api.core.ActiveMQTransactionRolledBackException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * The gatekeeper's own broker session (core protocol, one transacted session, used by one thread at a time):
 * takes head messages from holding queues and forwards them to the delivery queue. A take and its forward commit
 * together, so a message is never in both queues or in neither. The tickets a commit forwards travel together, up
 * to {@code ticketsPerMessage} in one message of the delivery queue ({@link TicketBatch}). Consumers of active keys are
 * kept open (LRU).
 */
public class HoldingQueues implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(HoldingQueues.class.getName());
    private static final int OPEN_CONSUMERS = 4096;
    private static final SimpleString BROKER_PROPERTIES = SimpleString.of("_AMQ");
    /** a take moves at most this many unreadable messages before it gives up for this pass */
    private static final int MAX_READS_PER_TAKE = 64;
    /** how long a take waits for its consumer's buffer before it asks the broker (a forced delivery) */
    private static final long BUFFER_WAIT_MILLIS = 5;

    private final CoreConnection connection;
    private final ClientSession session;
    private final ClientProducer producer;
    private final Map<String, ClientConsumer> consumers = new LinkedHashMap<>(256, 0.75f, true);
    private final int ticketsPerMessage;
    /** forwarded, not sent yet: they go just before the commit */
    private final List<DeliveryTicket> forwarded = new ArrayList<>();
    private boolean movedUnreadable;

    public HoldingQueues(CoreConnection connection, int ticketsPerMessage) throws ActiveMQException {
        if (ticketsPerMessage < 1) {
            throw new IllegalArgumentException("at least one ticket per message of the delivery queue");
        }
        this.connection = connection;
        this.ticketsPerMessage = ticketsPerMessage;
        this.session = connection.session();
        ensureQueue(session, Queues.DELIVERY);
        ensureQueue(session, Queues.UNREADABLE);
        this.producer = session.createProducer(Queues.DELIVERY);
    }

    /** What the gatekeeper's connection needs beyond the common settings. */
    public static ServerLocator tuned(ServerLocator locator) {
        return locator.setConsumerWindowSize(64 * 1024);
    }

    /**
     * The delivery queue must exist, durable and never auto-deleted, before the first move: a standalone broker may
     * not declare it, and one without auto-created queues would refuse the send. So must the queue of unreadable
     * messages, which the workers use too.
     */
    private static void ensureQueue(ClientSession session, String name) throws ActiveMQException {
        if (!session.queueQuery(SimpleString.of(name)).isExists()) {
            session.createQueue(QueueConfiguration.of(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
    }

    /**
     * The head message of the key's holding queue, or empty when nothing is there right now: from the consumer's
     * buffer (waiting a few ms for it), else after one round trip to the broker (a forced delivery). A message that
     * cannot be read is moved to {@link Queues#UNREADABLE} with the commit, and the next one is taken.
     */
    public Optional<DeliveryTicket> take(String flowKey) throws ActiveMQException {
        ClientConsumer consumer = consumer(flowKey);
        if (consumer == null) {
            return Optional.empty();
        }
        ClientMessage message;
        for (int read = 0; read < MAX_READS_PER_TAKE && (message = receive(flowKey, consumer)) != null; read++) {
            Optional<DeliveryTicket> ticket = readable(message, Queues.holding(flowKey));
            message.acknowledge();
            if (ticket.isPresent()) {
                return ticket;
            }
        }
        return Optional.empty();
    }

    private ClientMessage receive(String flowKey, ClientConsumer consumer) throws ActiveMQException {
        try {
            // receive(timeout) waits the whole timeout for the buffer, then forces a delivery anyway (and awaits its
            // answer without bound): 1 s held every key for a second on each empty take. A forced delivery alone
            // missed messages the broker was about to hand over (parallelism-1 chains' lag p99 29.8 ms, from 10.9).
            return consumer.receive(BUFFER_WAIT_MILLIS);
        } catch (ActiveMQObjectClosedException queueDeleted) {
            // closed by the broker (an operator deleted the queue): the next take opens a new consumer
            consumers.remove(flowKey);
            return null;
        }
    }

    /** Its ticket; or, if it cannot be read, empty, and a copy of it goes to the unreadable messages. */
    private Optional<DeliveryTicket> readable(ClientMessage message, String queue) throws ActiveMQException {
        try {
            return Optional.of(tickets(message).get(0));
        } catch (RuntimeException unreadable) {
            LOG.log(Level.SEVERE, "A message of " + queue + " cannot be read; it is moved to " + Queues.UNREADABLE,
                    unreadable);
            producer.send(Queues.UNREADABLE, unreadableCopy(message, queue, unreadable));
            movedUnreadable = true;
            return Optional.empty();
        }
    }

    /**
     * With its body and properties (but the broker's own, its scheduled time say), why, and its queue as its original
     * address, so the broker's retry operation on {@link Queues#UNREADABLE} puts it back.
     */
    private ClientMessage unreadableCopy(ClientMessage message, String queue, RuntimeException why) {
        ClientMessage copy = session.createMessage(message.getType(), true);
        for (SimpleString name : message.getPropertyNames()) {
            if (!name.startsWith(BROKER_PROPERTIES)) {
                copy.putObjectProperty(name, message.getObjectProperty(name));
            }
        }
        copy.putStringProperty(Queues.UNREADABLE_FROM, queue);
        copy.putStringProperty(Queues.UNREADABLE_BECAUSE, String.valueOf(why));
        copy.putStringProperty(Message.HDR_ORIGINAL_ADDRESS, SimpleString.of(queue));
        copy.putStringProperty(Message.HDR_ORIGINAL_QUEUE, SimpleString.of(queue));
        copy.getBodyBuffer().writeBytes(body(message));
        return copy;
    }

    /** Whether a take since the last commit or rollback moved a message it could not read: the commit moves it. */
    public boolean movedUnreadable() {
        return movedUnreadable;
    }

    /** Forwards the ticket with the next commit. */
    public void forward(DeliveryTicket ticket) {
        forwarded.add(ticket);
    }

    /** Sends the forwarded tickets in messages of {@code ticketsPerMessage}, the last one with the rest. */
    private void sendForwarded() throws ActiveMQException {
        int count = forwarded.size();
        for (int from = 0; from < count; from += ticketsPerMessage) {
            send(new TicketBatch(forwarded.subList(from, Math.min(count, from + ticketsPerMessage))));
        }
    }

    private void send(TicketBatch batch) throws ActiveMQException {
        ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
        message.putIntProperty(TicketBatch.COUNT, batch.tickets().size());
        message.getBodyBuffer().writeBytes(batch.encode());
        producer.send(message);
    }

    /**
     * Closes the consumers of keys no longer followed: the broker deletes an empty queue without consumers (after
     * its auto-delete delay), and a message that arrives meanwhile goes back to the queue for the next take.
     */
    public void release(Collection<String> flowKeys) throws ActiveMQException {
        for (String flowKey : flowKeys) {
            ClientConsumer consumer = consumers.remove(flowKey);
            if (consumer != null) {
                consumer.close();
            }
        }
    }

    /** Whether the key's holding queue holds no message at all: none ready, scheduled, paged or being delivered. */
    public boolean isEmpty(String flowKey) throws ActiveMQException {
        ClientSession.QueueQuery query = session.queueQuery(SimpleString.of(Queues.holding(flowKey)));
        return !query.isExists() || query.getMessageCount() == 0;
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    /**
     * Sends the forwarded tickets and commits.
     *
     * @throws ActiveMQTransactionOutcomeUnknownException if the commit was asked for but the broker may have committed
     *                                                    all the same (a timeout, a failover, a failed rollback);
     *                                                    any other failure leaves nothing committed
     */
    public void commit() throws ActiveMQException {
        try {
            sendForwarded();
        } finally {
            forwarded.clear();
            movedUnreadable = false;
        }
        commitSession();
    }

    /** The broker commit itself, once the tickets are sent; see {@link #commit}. */
    void commitSession() throws ActiveMQException {
        try {
            session.commit();
        } catch (ActiveMQTransactionRolledBackException | ActiveMQTransactionOutcomeUnknownException known) {
            throw known;
        } catch (ActiveMQException inDoubt) {
            ActiveMQException unknown = new ActiveMQTransactionOutcomeUnknownException(
                    "the broker may or may not have committed: " + inDoubt.getMessage());
            unknown.initCause(inDoubt);
            throw unknown;
        }
    }

    public void rollback() throws ActiveMQException {
        forwarded.clear();
        movedUnreadable = false;
        session.rollback();
    }

    /**
     * Tickets waiting in the delivery queue: at startup they are deliveries already granted a slot. A message that
     * cannot be read is left to the worker that meets it.
     */
    public List<DeliveryTicket> browseDeliveryQueue() throws ActiveMQException {
        List<DeliveryTicket> tickets = new ArrayList<>();
        try {
            connection.browse(Queues.DELIVERY, message -> {
                try {
                    tickets.addAll(tickets(message));
                } catch (RuntimeException unreadable) {
                    LOG.log(Level.WARNING, "A message of the delivery queue cannot be read", unreadable);
                }
            });
        } catch (ActiveMQNonExistentQueueException noQueueYet) {
            return tickets;
        }
        return tickets;
    }

    /** The tickets of a message: its body, or a single ticket in its properties as older versions wrote it. */
    private static List<DeliveryTicket> tickets(ClientMessage message) {
        if (message.getType() != ClientMessage.BYTES_TYPE) {
            return List.of(DeliveryTicket.fromProperties(name -> plain(message.getObjectProperty(name))));
        }
        return TicketBatch.decode(body(message)).tickets();
    }

    /** Read without moving the message's own reader index, so it can be read again. */
    private static byte[] body(ClientMessage message) {
        ActiveMQBuffer buffer = message.getReadOnlyBodyBuffer();
        byte[] body = new byte[buffer.readableBytes()];
        buffer.readBytes(body);
        return body;
    }

    private ClientConsumer consumer(String flowKey) throws ActiveMQException {
        ClientConsumer consumer = consumers.get(flowKey);
        if (consumer == null) {
            try {
                consumer = session.createConsumer(Queues.holding(flowKey));
            } catch (ActiveMQNonExistentQueueException notCreatedYet) {
                return null;
            }
            consumers.put(flowKey, consumer);
        }
        return consumer;
    }

    /**
     * Closes the consumers used least recently beyond the {@value #OPEN_CONSUMERS} kept open; between commits, so
     * that no consumer with a take in the open transaction is closed.
     */
    public void closeLeastRecentlyUsed() throws ActiveMQException {
        Iterator<ClientConsumer> eldest = consumers.values().iterator();
        while (consumers.size() > OPEN_CONSUMERS && eldest.hasNext()) {
            eldest.next().close();
            eldest.remove();
        }
    }

    private static Object plain(Object value) {
        return value instanceof SimpleString text ? text.toString() : value;
    }

    @Override
    public void close() {
        connection.close();
    }
}
