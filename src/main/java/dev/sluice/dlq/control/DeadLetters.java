package dev.sluice.dlq.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.control.Waitlist;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.platform.control.Capacity;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import dev.sluice.messages.control.MessageFilter;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** Messages whose retries ran out. Retrying one publishes a new message with the same request. */
@Stateless
public class DeadLetters {

    @PersistenceContext
    EntityManager em;

    @Inject
    Waitlist waitlist;

    @Inject
    EventLog eventLog;

    @Inject
    Capacity capacity;

    /** One page, newest first; the cursor is the offset of the next page. */
    public List<Message> page(int offset, int count) {
        return em.createNamedQuery(Message.DLQ, Message.class)
                .setHint(Message.DEFAULT_FETCH_GROUP, "false")
                .setFirstResult(offset)
                .setMaxResults(count)
                .getResultList();
    }

    /** One page of the entries matching the filter, newest first. */
    public List<Message> matching(MessageFilter filter, int offset, int count) {
        StringBuilder jpql = new StringBuilder("SELECT m FROM Message m WHERE m.dlqId IS NOT NULL");
        Map<String, Object> parameters = new HashMap<>();
        filter.appendTo(jpql, parameters);
        TypedQuery<Message> query = em.createQuery(jpql.append(" ORDER BY m.updatedAt DESC, m.id").toString(),
                Message.class);
        parameters.forEach(query::setParameter);
        return query.setHint(Message.DEFAULT_FETCH_GROUP, "false").setFirstResult(offset).setMaxResults(count)
                .getResultList();
    }

    public List<Message> byIds(List<String> dlqIds) {
        return dlqIds.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    public Optional<Message> find(String dlqId) {
        return em.createQuery("SELECT m FROM Message m WHERE m.dlqId = :dlqId", Message.class)
                .setHint(Message.DEFAULT_FETCH_GROUP, "false")
                .setParameter("dlqId", dlqId)
                .getResultStream().findFirst();
    }

    public int delete(List<String> dlqIds) {
        List<Message> entries = byIds(dlqIds);
        long now = System.currentTimeMillis();
        entries.forEach(entry -> entry.leaveDlq(now));
        return entries.size();
    }

    /** Returns the ids of the new messages; refuses them all while Sluice has no room ({@link Capacity}). */
    public List<String> retry(List<String> dlqIds) {
        capacity.requireRoom();
        long now = System.currentTimeMillis();
        List<String> ids = new ArrayList<>();
        List<MessageEvent> created = new ArrayList<>();
        for (Message failed : byIds(dlqIds)) {
            Message fresh = failed.resend(MessageId.next(Message.ID_PREFIX), now);
            em.persist(fresh);
            waitlist.enqueue(DeliveryTicket.of(fresh), now, now);
            created.add(new MessageEvent("CREATED", fresh));
            failed.leaveDlq(now);
            ids.add(fresh.getId());
        }
        eventLog.record(created, now);
        return ids;
    }
}
