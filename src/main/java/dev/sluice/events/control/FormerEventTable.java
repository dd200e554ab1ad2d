package dev.sluice.events.control;

import dev.sluice.events.entity.EventId;
import dev.sluice.events.entity.MessageEvent;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The table of events versions before numbered events ({@link EventId}) stored: {@value #NAME}, with string ids and
 * a time column. Its rows are carried over into {@value MessageEvent#TABLE} one span of time per transaction.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class FormerEventTable {

    static final String NAME = "SLUICE_EVENT";

    /** The columns of the event log and, for each, the former column it is copied from. */
    private static final Map<String, Source> CARRIED = carried();

    @PersistenceContext
    EntityManager em;

    /** A former column, and its type for a {@code NULL} where it is missing. */
    private record Source(String column, String type) {
    }

    /** The former table's first and last times, and its columns. */
    public record Span(long first, long last, Set<String> columns) {
    }

    /** What one transaction carried over, and the time of the next former event (null: none is left). */
    public record Carried(int events, Long next) {
    }

    /** Empty if there is no such table or it has no rows. */
    public Optional<Span> span() {
        Set<String> columns = columns();
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        Object[] times = (Object[]) em.createNativeQuery("SELECT MIN(TIME), MAX(TIME) FROM " + NAME)
                .getSingleResult();
        return times[0] == null ? Optional.empty()
                : Optional.of(new Span(((Number) times[0]).longValue(), ((Number) times[1]).longValue(), columns));
    }

    /**
     * Copies the rows of {@code [from, until)}, each numbered by its time and, within a millisecond, in the order of
     * the former ids (the order the former log listed them in), and deletes them from the former table; answers
     * how many, and when the next former event is. A span holds every row of its milliseconds, so no two
     * transactions number the same millisecond.
     */
    public Carried carryOver(Set<String> columns, long from, long until) {
        int copied = em.createNativeQuery(copy(columns)).setParameter(1, from).setParameter(2, until)
                .executeUpdate();
        em.createNativeQuery("DELETE FROM " + NAME + " WHERE TIME >= ? AND TIME < ?")
                .setParameter(1, from).setParameter(2, until).executeUpdate();
        Object next = em.createNativeQuery("SELECT MIN(TIME) FROM " + NAME + " WHERE TIME >= ?")
                .setParameter(1, until).getSingleResult();
        return new Carried(copied, next == null ? null : ((Number) next).longValue());
    }

    private static String copy(Set<String> columns) {
        String sources = CARRIED.values().stream()
                .map(source -> columns.contains(source.column()) ? source.column()
                        : "CAST(NULL AS " + source.type() + ")")
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + MessageEvent.TABLE + " (ID, " + String.join(", ", CARRIED.keySet()) + ")"
                + " SELECT TIME * " + EventId.leastAt(1) + " + ROW_NUMBER() OVER (PARTITION BY TIME ORDER BY ID) - 1, "
                + sources + " FROM " + NAME + " WHERE TIME >= ? AND TIME < ?";
    }

    /**
     * The former table's columns, upper case; none if it does not exist. Columns added by later versions (the queue,
     * topic and schedule) may be missing. PostgreSQL keeps unquoted names in lower case, H2 in upper case.
     */
    private Set<String> columns() {
        try {
            DatabaseMetaData metadata = em.unwrap(Connection.class).getMetaData();
            Set<String> columns = columnsOf(metadata, NAME);
            return columns.isEmpty() ? columnsOf(metadata, NAME.toLowerCase(Locale.ROOT)) : columns;
        } catch (SQLException e) {
            throw new IllegalStateException("could not look for the table " + NAME, e);
        }
    }

    private static Set<String> columnsOf(DatabaseMetaData metadata, String table) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (ResultSet rows = metadata.getColumns(null, null, table, null)) {
            while (rows.next()) {
                columns.add(rows.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
            }
        }
        return columns;
    }

    private static Map<String, Source> carried() {
        Map<String, Source> carried = new LinkedHashMap<>();
        carried.put("STATE", new Source("STATE", "VARCHAR(16)"));
        carried.put("MESSAGE_ID", new Source("MESSAGE_ID", "VARCHAR(64)"));
        carried.put("URL", new Source("URL", "VARCHAR(4096)"));
        carried.put("FLOW_KEY", new Source("FLOW_KEY", "VARCHAR(250)"));
        carried.put("LABELS", new Source("LABELS", "VARCHAR(1000)"));
        carried.put("RESPONSE_STATUS", new Source("RESPONSESTATUS", "INTEGER"));
        carried.put("ERROR", new Source("ERROR", "VARCHAR(2000)"));
        carried.put("NEXT_DELIVERY_TIME", new Source("NEXTDELIVERYTIME", "BIGINT"));
        carried.put("QUEUE_NAME", new Source("QUEUE_NAME", "VARCHAR(100)"));
        carried.put("TOPIC_NAME", new Source("TOPICNAME", "VARCHAR(250)"));
        carried.put("SCHEDULE_ID", new Source("SCHEDULE_ID", "VARCHAR(100)"));
        return Collections.unmodifiableMap(carried);
    }
}
