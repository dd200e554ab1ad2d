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
import jakarta.jms.Message;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;

/**
 * What a worker sends to the broker itself: tickets it cannot handle now, back on the delivery queue in a message of
 * their own (so the other tickets of their batch are done with; they keep the slots the gatekeeper granted them), and
 * messages it cannot read, to {@link Queues#UNREADABLE}. Always outside any transaction (the workers run without
 * one), so what is sent is on its queue when the method returns; if it throws, it is not.
 */
@ApplicationScoped
public class DeliveryQueue {

    /** as long as the broker waits before it delivers a message whose delivery failed again */
    static final Duration RETURN_DELAY = Duration.ofSeconds(1);

    @Resource(lookup = Messaging.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    /** Sends the tickets, persistent, to be delivered after {@link #RETURN_DELAY}. */
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

    /** Moves a copy of a message of the delivery queue that cannot be read to the unreadable messages, with why. */
    public void moveUnreadable(Message message, RuntimeException why) {
        try (JMSContext jms = connectionFactory.createContext()) {
            Message copy = copy(jms, message);
            copy.setStringProperty(Queues.UNREADABLE_FROM, Queues.DELIVERY);
            copy.setStringProperty(Queues.UNREADABLE_BECAUSE, String.valueOf(why));
            jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(jms.createQueue(Queues.UNREADABLE),
                    copy);
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }

    private static Message copy(JMSContext jms, Message message) throws JMSException {
        Message copy;
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            BytesMessage copyOfBytes = jms.createBytesMessage();
            copyOfBytes.writeBytes(body);
            copy = copyOfBytes;
        } else {
            copy = jms.createMessage();
        }
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMSX") && !name.startsWith("_AMQ")) { // the broker's, not the message's
                copy.setObjectProperty(name, message.getObjectProperty(name));
            }
        }
        return copy;
    }
}
