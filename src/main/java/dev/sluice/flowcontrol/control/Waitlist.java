package dev.sluice.flowcontrol.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.flowcontrol.entity.Queues;
import dev.sluice.platform.control.AfterCommit;
import dev.sluice.platform.control.Messaging;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSProducer;
import jakarta.jms.JMSRuntimeException;
import jakarta.transaction.TransactionSynchronizationRegistry;

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

    public void enqueue(DeliveryTicket ticket, long dueAt, long now) {
        try (JMSContext jms = connectionFactory.createContext()) {
            jakarta.jms.Message message = jms.createMessage();
            for (var property : ticket.properties().entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            JMSProducer producer = jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT);
            if (dueAt > now) {
                producer.setDeliveryDelay(dueAt - now);
            }
            producer.send(jms.createQueue(Queues.holding(ticket.flowKey())), message);
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
        AfterCommit.run(transactions, () -> events.admitted(ticket, dueAt));
    }
}
