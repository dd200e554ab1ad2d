package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.flowcontrol.entity.Queues;
import dev.sluice.platform.control.CoreConnection;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

/**
 * A transacted broker session of its own (core protocol, used by one thread at a time) that puts published messages
 * into their holding queues. Each commit also records, in the intake ledger, the number of the last intake batch
 * it carries: after a crash, the stored messages of later batches are the ones the broker never got.
 */
public class HoldingQueueSender implements AutoCloseable {

    /** A last-value queue: only the latest mark is kept. */
    private static final String LEDGER = "sluice.intake.ledger";
    private static final String BATCH = "sluice_batch";
    private static final SimpleString LEDGER_ENTRY = SimpleString.of("intake");

    private final CoreConnection connection;
    private final ClientSession session;
    private final ClientProducer producer;

    /** Takes the connection over: closed with this sender, or at once if the sender cannot be made. */
    public HoldingQueueSender(CoreConnection connection) throws ActiveMQException {
        this.connection = connection;
        this.session = connection.session();
        try {
            ensureLedger(session);
            this.producer = session.createProducer();
        } catch (ActiveMQException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * @param producerCredits whether sends wait for the broker's producer credits: not with the embedded broker,
     *                        whose disk Sluice watches itself (as for the resource adapter; a credit request is a
     *                        round trip per new key)
     */
    public static UnaryOperator<ServerLocator> tuning(boolean producerCredits) {
        return locator -> producerCredits ? locator : locator.setProducerWindowSize(-1);
    }

    private static void ensureLedger(ClientSession session) throws ActiveMQException {
        if (!session.queueQuery(SimpleString.of(LEDGER)).isExists()) {
            session.createQueue(QueueConfiguration.of(LEDGER).setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true).setLastValue(true));
        }
    }

    /** Sends tickets to their keys' holding queues, each shown there from its dueAt (epoch millis) on. */
    public void send(List<Waitlist.Admission> admissions) throws ActiveMQException {
        long now = System.currentTimeMillis();
        for (Waitlist.Admission admission : admissions) {
            ClientMessage message = session.createMessage(ClientMessage.BYTES_TYPE, true);
            message.getBodyBuffer().writeBytes(TicketBatch.of(admission.ticket()).encode());
            if (admission.dueAt() > now) {
                message.putLongProperty(Message.HDR_SCHEDULED_DELIVERY_TIME, admission.dueAt());
            }
            message.setRoutingType(RoutingType.ANYCAST);
            producer.send(SimpleString.of(Queues.holding(admission.ticket().flowKey())), message);
        }
    }

    /** Records, as part of this transaction, that every intake batch up to the given one is in the broker. */
    public void recordIntake(long batch) throws ActiveMQException {
        ClientMessage mark = session.createMessage(true);
        mark.putLongProperty(BATCH, batch);
        mark.putStringProperty(Message.HDR_LAST_VALUE_NAME, LEDGER_ENTRY);
        mark.setRoutingType(RoutingType.ANYCAST);
        producer.send(SimpleString.of(LEDGER), mark);
    }

    public void commit() throws ActiveMQException {
        session.commit();
    }

    public void rollback() throws ActiveMQException {
        session.rollback();
    }

    /** The last intake batch the broker holds, if any was ever recorded. */
    public OptionalLong lastIntake() throws ActiveMQException {
        long[] last = {-1};
        // a crash between a new mark and the removal of the one it replaces leaves both
        connection.browse(LEDGER, mark -> last[0] = Math.max(last[0], mark.getLongProperty(BATCH)));
        return last[0] < 0 ? OptionalLong.empty() : OptionalLong.of(last[0]);
    }

    /** See {@link CoreConnection#isConnected}. */
    public boolean isConnected() {
        return connection.isConnected();
    }

    @Override
    public void close() {
        connection.close();
    }
}
