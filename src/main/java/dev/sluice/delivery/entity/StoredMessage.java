package dev.sluice.delivery.entity;

import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;

/** A message as a worker read it: the row (not managed) and its body, which the entity only fetches lazily. */
public record StoredMessage(Message message, byte[] body) {

    /** The attempt the ticket stands for: what to send. */
    public Attempt attempt(DeliveryTicket ticket) {
        return new Attempt(ticket, message, new Outgoing(message.getId(), message.getDestination(),
                message.getMethod(), HeaderMap.fromJson(message.getHeaders()), body, message.getRetried(),
                message.getTimeoutMillis(), message.getDueAt()));
    }
}
