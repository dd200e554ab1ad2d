package dev.sluice.blackbox;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The indexes of a table as the database's JDBC metadata lists them, on H2 and PostgreSQL alike. */
final class TableIndexes {

    /** The indexes this version keeps on the message table, besides its primary key. */
    static final Set<String> MESSAGE_TABLE = Set.of("SLUICE_MESSAGE_DLQ", "SLUICE_MESSAGE_QUEUE",
            "SLUICE_MESSAGE_STATE");
    /** The message table's index on the flow-control key, which earlier versions made. */
    static final String FORMER_FLOW_KEY_INDEX = "SLUICE_MESSAGE_KEY";

    private TableIndexes() {
    }

    /** Makes the flow-key index on the message table as earlier versions did, to start Sluice on their schema. */
    static void createFormerFlowKeyIndex(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE INDEX " + FORMER_FLOW_KEY_INDEX + " ON SLUICE_MESSAGE (FLOW_KEY)");
        }
    }

    /** The names (upper case, sorted) of the table's indexes that are not unique: not its primary key's. */
    static Set<String> nonUnique(Connection connection, String table) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        String stored = metadata.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT)
                : table.toUpperCase(Locale.ROOT);
        Set<String> names = new TreeSet<>();
        try (ResultSet indexes = metadata.getIndexInfo(null, null, stored, false, false)) {
            while (indexes.next()) {
                if (indexes.getBoolean("NON_UNIQUE") && indexes.getString("INDEX_NAME") != null) {
                    names.add(indexes.getString("INDEX_NAME").toUpperCase(Locale.ROOT));
                }
            }
        }
        return names;
    }
}
