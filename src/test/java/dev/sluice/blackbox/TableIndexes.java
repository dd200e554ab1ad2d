package dev.sluice.blackbox;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The indexes of a table as the database's JDBC metadata lists them, on H2 and PostgreSQL alike. */
final class TableIndexes {

    private TableIndexes() {
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
