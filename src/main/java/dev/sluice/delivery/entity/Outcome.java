package dev.sluice.delivery.entity;

import dev.sluice.messages.entity.Message;

/**
 * How the attempt a ticket granted ended.
 *
 * @param message the stored message as read when the attempt was found due (not managed)
 */
public record Outcome(DeliveryTicket ticket, Message message, AttemptResult result) {

    /** A 2xx answer with no callback to publish: the bulk of all outcomes, recorded by one update of the message. */
    public boolean isPlainDelivery() {
        return result.succeeded() && message.getCallback() == null;
    }
}
