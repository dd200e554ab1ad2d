package dev.sluice.delivery.entity;

import dev.sluice.messages.entity.Message;

/** A step of an attempt to record: its start, as its request leaves, or its end, once the outcome is known. */
public sealed interface AttemptStep {

    /**
     * @param message the stored message as read when the attempt was found due (not managed)
     * @param early   the delivery, if it came in before this start was written
     */
    record Start(DeliveryTicket ticket, Message message, EarlyDelivery early) implements AttemptStep {
    }

    record End(Outcome outcome) implements AttemptStep {
    }
}
