package dev.sluice.delivery.entity;

import dev.sluice.messages.entity.Message;

/**
 * An attempt found due: its ticket, the stored message as read then (not managed), the request to make, and where
 * a delivery can join its start if it comes in before the start is written.
 */
public record Attempt(DeliveryTicket ticket, Message message, Outgoing outgoing, EarlyDelivery early) {

    public Attempt(DeliveryTicket ticket, Message message, Outgoing outgoing) {
        this(ticket, message, outgoing, new EarlyDelivery());
    }

    public AttemptStep.Start start() {
        return new AttemptStep.Start(ticket, message, early);
    }

    public Outcome outcome(AttemptResult result) {
        return new Outcome(ticket, message, result);
    }

    public AttemptStep.End end(AttemptResult result) {
        return new AttemptStep.End(outcome(result));
    }
}
