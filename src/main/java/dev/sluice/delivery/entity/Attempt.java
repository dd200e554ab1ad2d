package dev.sluice.delivery.entity;

import dev.sluice.messages.entity.Message;

/**
 * An attempt found due: its ticket, the stored message as read then (not managed), and the request to make.
 */
public record Attempt(DeliveryTicket ticket, Message message, Outgoing outgoing) {

    public AttemptStep.Start start() {
        return new AttemptStep.Start(ticket, message);
    }

    public AttemptStep.End end(AttemptResult result) {
        return new AttemptStep.End(new Outcome(ticket, message, result));
    }
}
