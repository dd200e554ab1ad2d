package dev.sluice.publish.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.publish.entity.MessageDraft;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores messages durably: the database row and the persistent broker message in its key's holding queue commit in
 * one transaction, so an accepted message is never lost and never only half stored.
 */
@Stateless
public class Publisher {

    @PersistenceContext
    EntityManager em;

    @Inject
    Waitlist waitlist;

    public List<Message> publish(List<MessageDraft> drafts) {
        long now = System.currentTimeMillis();
        List<Message> stored = new ArrayList<>(drafts.size());
        for (MessageDraft draft : drafts) {
            Message message = toMessage(draft, now);
            em.persist(message);
            waitlist.enqueue(DeliveryTicket.of(message), message.getDueAt(), now);
            stored.add(message);
        }
        return stored;
    }

    private static Message toMessage(MessageDraft draft, long now) {
        Message message = new Message(MessageId.next("msg"), draft.destination().url(), draft.method(), now);
        message.setHeaders(HeaderMap.toJson(draft.forwardedHeaders()));
        message.setBody(draft.body());
        message.setNotBefore(draft.notBefore());
        message.setMaxRetries(draft.maxRetries());
        message.setRetryDelay(draft.retryDelay() == null ? null : draft.retryDelay().text());
        message.setTimeoutMillis(draft.timeoutMillis());
        if (draft.flowKey() != null) {
            message.flowControl(draft.flowKey(), draft.flowConfig().parallelism(), draft.flowConfig().rate(),
                    draft.flowConfig().period().seconds());
        }
        message.setCallback(draft.callback());
        message.setFailureCallback(draft.failureCallback());
        message.setLabels(draft.labels().isEmpty() ? null : String.join(",", draft.labels()));
        message.setCallerIp(draft.callerIp());
        return message;
    }
}
