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
 * What a worker sends to the broker itself: tickets it cannot handle now, back on the delivery queue together in a
 * message of their own, so the other tickets of their batch are done with (a ticket whose row is not visible yet
 * keeps the slot the gatekeeper granted it, until its lease ends); and messages it cannot read, to
 * {@link Queues#UNREADABLE}. Outside a transaction (the workers run without one) what
 * is sent is on its queue when the method returns, inside one once it commits; if it throws, it is not.
 */
@ApplicationScoped
public class DeliveryQueue {

    /** as long as the broker waits before it delivers a message whose delivery failed again */
    static final Duration RETURN_DELAY = Duration.ofSeconds(1);
    /** how many times the tickets of a message of the delivery queue came back to it before */
    public static final String RETURNS = "sluice_returns";
    private static final String ORIGINAL_ADDRESS = org.apache.activemq.artemis.api.core.Message.HDR_ORIGINAL_ADDRESS
            .toString();
    private static final String ORIGINAL_QUEUE = org.apache.activemq.artemis.api.core.Message.HDR_ORIGINAL_QUEUE
            .toString();

    @Resource(lookup = Messaging.CONNECTION_FACTORY)
    ConnectionFactory connectionFactory;

    /**
     * Sends the tickets, persistent, to be delivered after {@link #RETURN_DELAY}, with how many times they came back
     * before ({@link #RETURNS}, one more than {@code returnsBefore}).
     */
    public void returnLater(List<DeliveryTicket> tickets, int returnsBefore) {
        if (tickets.isEmpty()) {
            return;
        }
        try (JMSContext jms = connectionFactory.createContext()) {
            BytesMessage message = batch(jms, tickets);
            message.setIntProperty(RETURNS, returnsBefore + 1);
            jms.createProducer()
                    .setDeliveryMode(DeliveryMode.PERSISTENT)
                    .setDeliveryDelay(RETURN_DELAY.toMillis())
                    .send(jms.createQueue(Queues.DELIVERY), message);
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }

    /** Moves tickets a worker gives up on to the unreadable messages, with why, as a message of the delivery queue. */
    public void setAside(List<DeliveryTicket> tickets, String why) {
        try (JMSContext jms = connectionFactory.createContext()) {
            sendAside(jms, batch(jms, tickets), why);
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }

    /** Moves a copy of a message of the delivery queue that cannot be read to the unreadable messages, with why. */
    public void moveUnreadable(Message message, RuntimeException why) {
        try (JMSContext jms = connectionFactory.createContext()) {
            sendAside(jms, copy(jms, message), String.valueOf(why));
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }

    /** With the delivery queue as its original address, so the broker's retry operation on the queue puts it back. */
    private static void sendAside(JMSContext jms, Message message, String why) throws JMSException {
        message.setStringProperty(Queues.UNREADABLE_FROM, Queues.DELIVERY);
        message.setStringProperty(Queues.UNREADABLE_BECAUSE, why);
        message.setStringProperty(ORIGINAL_ADDRESS, Queues.DELIVERY);
        message.setStringProperty(ORIGINAL_QUEUE, Queues.DELIVERY);
        jms.createProducer().setDeliveryMode(DeliveryMode.PERSISTENT).send(jms.createQueue(Queues.UNREADABLE),
                message);
    }

    private static BytesMessage batch(JMSContext jms, List<DeliveryTicket> tickets) throws JMSException {
        BytesMessage message = jms.createBytesMessage();
        message.setIntProperty(TicketBatch.COUNT, tickets.size());
        message.writeBytes(new TicketBatch(tickets).encode());
        return message;
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
