package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.StoredMessage;
import dev.sluice.messages.entity.Message;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the messages of delivery tickets outside any transaction, all of a worker's tickets in one statement. A plain
 * bean, not an EJB: a call into an EJB costs the container's interception each time.
 */
@ApplicationScoped
public class StoredMessages {

    @PersistenceContext
    EntityManager em;

    /** The stored messages with their bodies, by id; an id not stored (or not visible yet) is absent. */
    public Map<String, StoredMessage> find(List<String> messageIds) {
        Map<String, StoredMessage> found = new HashMap<>();
        if (messageIds.isEmpty()) {
            return found;
        }
        for (Object[] row : em.createNamedQuery(Message.READ_WITH_BODIES, Object[].class)
                .setParameter("ids", PaddedIds.of(messageIds)).getResultList()) {
            Message message = (Message) row[0];
            found.put(message.getId(), new StoredMessage(message, row[1] == null ? new byte[0] : (byte[]) row[1]));
        }
        return found;
    }
}
