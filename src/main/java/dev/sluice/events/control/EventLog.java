package dev.sluice.events.control;

import dev.sluice.events.entity.MessageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Records message state transitions (in the caller's transaction) and reads them back for /v2/events. */
@ApplicationScoped
public class EventLog {

    private final EventSequence sequence = new EventSequence();
    private volatile boolean continued;

    @PersistenceContext
    EntityManager em;

    /** Numbers the events in order, at {@code time} or later ({@link EventSequence}), and inserts them. */
    public void record(List<MessageEvent> events, long time) {
        if (events.isEmpty()) {
            return;
        }
        continueStoredNumbers();
        events.forEach(event -> event.numbered(sequence.next(time)));
        try {
            EventRows.insert(em.unwrap(Connection.class), events);
        } catch (SQLException e) {
            throw new IllegalStateException("could not record " + events.size() + " events", e);
        }
    }

    /** Numbers from now on are above {@code id}. */
    public void continueAfter(long id) {
        sequence.continueAfter(id);
    }

    /** Newest first; the cursor is the offset of the next page. */
    public List<MessageEvent> page(EventFilter filter, int offset, int count) {
        StringBuilder jpql = new StringBuilder("SELECT e FROM MessageEvent e WHERE 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        filter.appendTo(jpql, parameters);
        TypedQuery<MessageEvent> query = em.createQuery(jpql.append(" ORDER BY e.id DESC").toString(),
                MessageEvent.class);
        parameters.forEach(query::setParameter);
        return query.setFirstResult(offset).setMaxResults(count).getResultList();
    }

    /** Once per process, before the first number: above every stored one. */
    private void continueStoredNumbers() {
        if (!continued) {
            synchronized (sequence) {
                if (!continued) {
                    Long highest = em.createQuery("SELECT MAX(e.id) FROM MessageEvent e", Long.class)
                            .getSingleResult();
                    sequence.continueAfter(highest == null ? 0 : highest);
                    continued = true;
                }
            }
        }
    }
}
