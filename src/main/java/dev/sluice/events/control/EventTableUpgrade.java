package dev.sluice.events.control;

import dev.sluice.events.entity.EventId;
import dev.sluice.events.entity.MessageEvent;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * Carries the events a version before numbered events ({@link EventId}) stored, in the table {@value #FORMER_TABLE}
 * (string ids, a time column), over into {@value MessageEvent#TABLE}, numbered by their time, at the start: in one
 * transaction that copies them and empties the former table, which stays behind, empty.
 */
@Startup
@Singleton
public class EventTableUpgrade {

    static final String FORMER_TABLE = "SLUICE_EVENT";

    static final String COPY = "INSERT INTO " + MessageEvent.TABLE + " (ID, STATE, MESSAGE_ID, URL, FLOW_KEY, LABELS,"
            + " RESPONSE_STATUS, ERROR, NEXT_DELIVERY_TIME, QUEUE_NAME, TOPIC_NAME, SCHEDULE_ID)"
            + " SELECT TIME * " + EventId.leastAt(1) + " + ROW_NUMBER() OVER (PARTITION BY TIME ORDER BY ID) - 1,"
            + " STATE, MESSAGE_ID, URL, FLOW_KEY, LABELS, RESPONSESTATUS, ERROR, NEXTDELIVERYTIME, QUEUE_NAME,"
            + " TOPICNAME, SCHEDULE_ID FROM " + FORMER_TABLE;

    private static final Logger LOG = Logger.getLogger(EventTableUpgrade.class.getName());

    @PersistenceContext
    EntityManager em;

    @PostConstruct
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void carryOver() {
        if (!formerTableExists()) {
            return;
        }
        int copied = em.createNativeQuery(COPY).executeUpdate();
        em.createNativeQuery("DELETE FROM " + FORMER_TABLE).executeUpdate();
        if (copied > 0) {
            LOG.info(() -> "carried " + copied + " events over from " + FORMER_TABLE + " into " + MessageEvent.TABLE);
        }
    }

    private boolean formerTableExists() {
        try {
            DatabaseMetaData metadata = em.unwrap(Connection.class).getMetaData();
            return hasTable(metadata, FORMER_TABLE) || hasTable(metadata, FORMER_TABLE.toLowerCase());
        } catch (SQLException e) {
            throw new IllegalStateException("could not look for the table " + FORMER_TABLE, e);
        }
    }

    private static boolean hasTable(DatabaseMetaData metadata, String name) throws SQLException {
        try (ResultSet tables = metadata.getTables(null, null, name, new String[] {"TABLE"})) {
            return tables.next();
        }
    }
}
