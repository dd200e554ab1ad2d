package dev.sluice.incontainer;

import dev.sluice.events.entity.EventId;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.flowcontrol.entity.KeyEvent;
import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageId;
import dev.sluice.messages.entity.MessageState;
import dev.sluice.publish.entity.Deduplication;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Stores rows as they would be after the given times, for the retention test (which cannot wait days), and as
 * earlier versions stored them, for the upgrade test.
 */
@Stateless
public class StoredRows {

    private static final Message.Response ANSWER = new Message.Response(200, "{}", new byte[0], null);

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = "java:app/jdbc/sluice")
    DataSource dataSource;

    /** Messages made at {@code madeAt} that reached the state at {@code changedAt}. */
    public List<String> messages(int count, MessageState state, boolean deadLetter, long madeAt, long changedAt) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = new Message(MessageId.at(Message.ID_PREFIX, madeAt), "http://127.0.0.1:9/x", "POST",
                    madeAt);
            switch (state) {
                case CREATED, CANCELLED -> { }
                case DELIVERED -> message.delivered(ANSWER, changedAt);
                case FAILED -> message.failed(ANSWER,
                        deadLetter ? MessageId.at(Message.DLQ_ID_PREFIX, changedAt) : null, changedAt);
                default -> throw new IllegalArgumentException(state.name());
            }
            em.persist(message);
            ids.add(message.getId());
        }
        if (state == MessageState.CANCELLED) {
            em.flush();
            ids.forEach(id -> em.createNamedQuery(Message.CANCEL).setParameter("cancelled", MessageState.CANCELLED)
                    .setParameter("now", changedAt).setParameter("pending", MessageState.PENDING)
                    .setParameter("id", id).executeUpdate());
        }
        return ids;
    }

    /** The messages delivered at {@code deliveredAt}. */
    public void delivered(List<String> ids, long deliveredAt) {
        ids.forEach(id -> em.find(Message.class, id).delivered(ANSWER, deliveredAt));
    }

    /** Dead letters taken out of the DLQ at {@code leftAt}. */
    public List<String> leftDlq(int count, long failedAt, long leftAt) {
        List<String> ids = messages(count, MessageState.FAILED, true, failedAt, failedAt);
        ids.forEach(id -> em.find(Message.class, id).leaveDlq(leftAt));
        return ids;
    }

    /** An event numbered as the log numbers the first of {@code time}. */
    public long event(long time) {
        Message message = new Message(MessageId.at(Message.ID_PREFIX, time), "http://127.0.0.1:9/x", "POST", time);
        MessageEvent event = new MessageEvent("DELIVERED", message).numbered(EventId.leastAt(time));
        em.persist(event);
        return event.getId();
    }

    public String keyEvent(long time) {
        String id = MessageId.at("evt", time);
        em.persist(new KeyEvent(id, "retention-key", time, "PAUSE", "{}", "{}"));
        return id;
    }

    public String deduplication(long createdAt) {
        String id = "dedup-" + MessageId.next("d");
        em.persist(new Deduplication(id, MessageId.next(Message.ID_PREFIX), createdAt));
        return id;
    }

    /**
     * A row of the table of events as the first versions before numbered events stored it (created if missing):
     * without the queue, topic and schedule columns later versions added.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void formerEvent(String id, long time, String state, String messageId, Integer responseStatus)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS SLUICE_EVENT (ID VARCHAR(64) PRIMARY KEY, TIME BIGINT,"
                        + " STATE VARCHAR(16) NOT NULL, MESSAGE_ID VARCHAR(64) NOT NULL, URL VARCHAR(4096),"
                        + " FLOW_KEY VARCHAR(250), LABELS VARCHAR(1000), RESPONSESTATUS INTEGER, ERROR VARCHAR(2000),"
                        + " NEXTDELIVERYTIME BIGINT)");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO SLUICE_EVENT (ID, TIME, STATE,"
                    + " MESSAGE_ID, URL, RESPONSESTATUS) VALUES (?, ?, ?, ?, 'http://127.0.0.1:9/former', ?)")) {
                insert.setString(1, id);
                insert.setLong(2, time);
                insert.setString(3, state);
                insert.setString(4, messageId);
                insert.setObject(5, responseStatus);
                insert.executeUpdate();
            }
        }
    }

    public long formerEventCount() {
        return (Long) em.createNativeQuery("SELECT COUNT(*) FROM SLUICE_EVENT").getSingleResult();
    }

    /** Those of the ids that are still stored as the entity. */
    @SuppressWarnings("unchecked")
    public <T> Set<T> stored(Class<?> entity, Collection<T> ids) {
        return new HashSet<>(em.createQuery("SELECT e.id FROM " + entity.getSimpleName() + " e WHERE e.id IN :ids")
                .setParameter("ids", ids).getResultList());
    }
}
