package dev.sluice.delivery.boundary;

import dev.sluice.delivery.control.Courier;
import dev.sluice.delivery.control.DeliveryQueue;
import dev.sluice.delivery.control.WorkerThreads;
import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.delivery.entity.TicketBatch;
import dev.sluice.flowcontrol.entity.Queues;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.JMSRuntimeException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Consumes the delivery queue: every ticket here was granted a slot by the gatekeeper, several tickets per message
 * ({@link TicketBatch}). The HTTP calls themselves are asynchronous, so a handful of workers keep any number of slow
 * deliveries in flight.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "artemis"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "destination", propertyValue = Queues.DELIVERY),
        @ActivationConfigProperty(propertyName = "useJNDI", propertyValue = "false"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = WorkerThreads.SESSIONS)})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DeliveryWorker implements MessageListener {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class.getName());

    @Inject
    Courier courier;

    @Inject
    DeliveryQueue queue;

    @Override
    public void onMessage(Message message) {
        List<DeliveryTicket> tickets;
        try {
            tickets = tickets(message);
        } catch (JMSException | JMSRuntimeException notReadNow) {
            throw new IllegalStateException("delivery tickets could not be read from the broker; it delivers them "
                    + "again", notReadNow);
        } catch (RuntimeException unreadable) {
            // left in the queue, it would come back to a worker every second for ever
            LOG.log(Level.SEVERE, "A message of the delivery queue cannot be read; it is moved to "
                    + Queues.UNREADABLE, unreadable);
            queue.moveUnreadable(message, unreadable);
            return;
        }
        try {
            courier.deliver(tickets, returnsBefore(message));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Delivery could not start; the broker delivers its tickets again", e);
            throw e;
        }
    }

    /**
     * The tickets of a message: its body, or a single ticket in its properties as older versions wrote it. The broker
     * failing to hand them over is a {@link JMSException} or {@link JMSRuntimeException}; any other exception means
     * they cannot be decoded.
     */
    private static List<DeliveryTicket> tickets(Message message) throws JMSException {
        if (!(message instanceof BytesMessage)) {
            return List.of(DeliveryTicket.fromProperties(name -> property(message, name)));
        }
        return TicketBatch.decode(message.getBody(byte[].class)).tickets();
    }

    private static int returnsBefore(Message message) {
        try {
            return message.propertyExists(DeliveryQueue.RETURNS) ? message.getIntProperty(DeliveryQueue.RETURNS) : 0;
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }

    private static Object property(Message message, String name) {
        try {
            return message.getObjectProperty(name);
        } catch (JMSException e) {
            throw new JMSRuntimeException(e.getMessage(), e.getErrorCode(), e);
        }
    }
}
