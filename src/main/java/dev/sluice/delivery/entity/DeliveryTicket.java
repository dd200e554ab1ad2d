package dev.sluice.delivery.entity;

import dev.sluice.flowcontrol.entity.FlowConfig;
import dev.sluice.messages.entity.Message;
import dev.sluice.flowcontrol.entity.Period;
import dev.sluice.flowcontrol.entity.QueueLane;
import java.util.function.Function;

/**
 * What travels through the broker for one attempt: the message id plus what the gatekeeper needs to decide
 * without reading the database (key, config, timeout). The body stays in the database. In the broker a ticket
 * travels as a {@link TicketBatch} (one ticket per message of a holding queue, several in the delivery queue).
 *
 * @param flowKey the flow-control key, "" for messages without one
 * @param retried retries done before this attempt
 */
public record DeliveryTicket(String messageId, String flowKey, FlowConfig config, long timeoutMillis, int retried) {

    static final String ID = "sluice_id";
    static final String KEY = "sluice_key";
    static final String PARALLELISM = "sluice_parallelism";
    static final String RATE = "sluice_rate";
    static final String PERIOD = "sluice_period";
    static final String TIMEOUT = "sluice_timeout";
    static final String RETRIED = "sluice_retried";

    public static DeliveryTicket of(Message message) {
        String key = message.getFlowKey();
        if (key == null && message.getQueueName() != null) {
            return new DeliveryTicket(message.getId(), QueueLane.key(message.getQueueName()),
                    QueueLane.defaultConfig(), message.getTimeoutMillis(), message.getRetried());
        }
        FlowConfig config = key == null ? FlowConfig.unlimited() : new FlowConfig(message.getParallelism(),
                message.getRate(), Period.ofSeconds(message.getPeriodSeconds()));
        return new DeliveryTicket(message.getId(), key == null ? "" : key, config, message.getTimeoutMillis(),
                message.getRetried());
    }

    /**
     * A ticket as versions before {@link TicketBatch} wrote it: in the broker message's properties. Such messages may
     * still wait in the broker after an upgrade.
     */
    public static DeliveryTicket fromProperties(Function<String, Object> property) {
        Object parallelism = property.apply(PARALLELISM);
        Object rate = property.apply(RATE);
        FlowConfig config = new FlowConfig(
                parallelism == null ? null : ((Number) parallelism).intValue(),
                rate == null ? null : ((Number) rate).intValue(),
                Period.ofSeconds(((Number) property.apply(PERIOD)).longValue()));
        return new DeliveryTicket(String.valueOf(property.apply(ID)), String.valueOf(property.apply(KEY)), config,
                ((Number) property.apply(TIMEOUT)).longValue(), ((Number) property.apply(RETRIED)).intValue());
    }

    public long leaseMillis() {
        return timeoutMillis + 30_000;
    }
}
