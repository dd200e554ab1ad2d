package dev.sluice.events.control;

import dev.sluice.events.entity.MessageEvent;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records message state transitions (in the caller's transaction) and reads them back for /v2/events. */
@ApplicationScoped
public class EventLog {

    @PersistenceContext
    EntityManager em;

    public MessageEvent record(Message message, String state, long time) {
        MessageEvent event = new MessageEvent(MessageId.next("evt"), time, state, message);
        em.persist(event);
        return event;
    }

    /** Newest first; the cursor is the offset of the next page. */
    public List<MessageEvent> page(EventFilter filter, int offset, int count) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM MessageEvent e WHERE 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        filter.appendTo(jpql, parameters);
        TypedQuery<MessageEvent> query = em.createQuery(jpql.append(" ORDER BY e.time DESC, e.id DESC").toString(),
                MessageEvent.class);
        parameters.forEach(query::setParameter);
        return query.setFirstResult(offset).setMaxResults(count).getResultList();
    }
}
