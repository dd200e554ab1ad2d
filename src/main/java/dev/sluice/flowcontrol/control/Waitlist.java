package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.platform.control.AfterCommit;
import dev.sluice.platform.control.Messaging;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;

/**
 * Puts a message into its key's holding queue as part of the caller's transaction (together with the database
 * write), and tells the gatekeeper once that transaction committed. A message due later is scheduled in the broker,
 * so it shows up in the holding queue only when due.
 */
@ApplicationScoped
public class Waitlist {

    @Resource(lookup = Messaging.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    @Resource
    TransactionSynchronizationRegistry transactions;

    @Inject
    FlowEvents events;

    @Inject
    HoldingQueueDirectory holdingQueues;

    /** A message to put into its key's holding queue, due at dueAt (epoch millis). */
    public record Admission(DeliveryTicket ticket, long dueAt) {
    }

    public void enqueue(DeliveryTicket ticket, long dueAt, long now) {
        enqueue(List.of(new Admission(ticket, dueAt)), now);
    }

    /** Sends all admissions through one broker session of the caller's transaction. */
    public void enqueue(List<Admission> admissions, long now) {
        try (JMSContext jms = connectionFactory.createContext()) {
            JMSProducer producer = jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Admission admission : admissions) {
                producer.setDeliveryDelay(Math.max(0, admission.dueAt() - now));
                producer.send(holdingQueues.destination(jms, admission.ticket().flowKey()), message(jms, admission));
            }
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
        AfterCommit.run(transactions, () -> admissions.forEach(admission ->
                events.admitted(admission.ticket(), admission.dueAt())));
    }

    private static jakarta.jms.Message message(JMSContext jms, Admission admission) throws JMSException {
        BytesMessage message = jms.createBytesMessage();
        message.writeBytes(TicketBatch.of(admission.ticket()).encode());
        return message;
    }
}
