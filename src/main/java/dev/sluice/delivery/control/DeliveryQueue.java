package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.flowcontrol.entity.Queues;
import dev.sluice.platform.control.Messaging;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import java.time.Duration;
import java.util.List;

/**
 * Puts tickets a worker cannot handle now back on the delivery queue, in a message of their own, so the other
 * tickets of their batch are done with. They keep the slots the gatekeeper granted them.
 */
@ApplicationScoped
public class DeliveryQueue {

    /** as long as the broker waits before it delivers a message whose delivery failed again */
    static final Duration RETURN_DELAY = Duration.ofSeconds(1);

    @Resource(lookup = Messaging.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    /**
     * Sends the tickets, persistent, to be delivered after {@link #RETURN_DELAY}. Called outside any transaction
     * (the workers run without one), so they are on the queue when this returns; if it throws, they are not.
     */
    public void returnLater(List<DeliveryTicket> tickets) {
        if (tickets.isEmpty()) {
            return;
        }
        try (JMSContext jms = connectionFactory.createContext()) {
            BytesMessage message = jms.createBytesMessage();
            message.setIntProperty(TicketBatch.COUNT, tickets.size());
            message.writeBytes(new TicketBatch(tickets).encode());
            jms.createProducer()
                    .setDeliveryMode(DeliveryMode.PERSISTENT)
                    .setDeliveryDelay(RETURN_DELAY.toMillis())
                    .send(jms.createQueue(Queues.DELIVERY), message);
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }
}
