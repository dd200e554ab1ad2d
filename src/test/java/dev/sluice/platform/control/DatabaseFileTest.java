package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real H2 file database, written the way Sluice writes it: each message inserted in a commit of its own, then
 * updated twice (started, delivered) in commits of their own, with an event row each time. H2's retention time is 0
 * here, so that a chunk can be rewritten and its space used again at once instead of after 45 s.
 */
class DatabaseFileTest {

    private static final String PAYLOAD = "x".repeat(300);

    @TempDir
    Path dir;

    @Test
    void compactingRaisesTheFillRateAndKeepsEveryRow() throws SQLException {
        String url = url("compacted");
        int before;
        int passes;
        int after;
        try (Connection connection = open(url)) {
            deliver(connection, 0, 2_000, null);
            before = DatabaseFile.use(url, "sa", "", DatabaseFile::fillRate);
            passes = DatabaseFile.use(url, "sa", "", file -> compactUpTo(file, 50));
            after = DatabaseFile.use(url, "sa", "", DatabaseFile::fillRate);
        }
        // opened again: the rows are read from the file, not from pages still in memory
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            assertTrue(before < 30, "a file written commit by commit is mostly stale chunks, was " + before + " %");
            assertTrue(passes > 1, "several passes of 256 KB each, was " + passes);
            assertTrue(after >= 50, "compacted up to the target, was " + after + " % after " + passes + " passes");
            assertEquals(2_000, count(connection, "SELECT COUNT(*) FROM MESSAGE WHERE STATE = 'DELIVERED'"));
            assertEquals(2_000, count(connection, "SELECT COUNT(*) FROM MESSAGE WHERE BODY = '" + PAYLOAD + "'"));
            assertEquals(6_000, count(connection, "SELECT COUNT(*) FROM EVENT"));
        }
    }

    @Test
    void aFileCompactedWhileItIsWrittenStopsGrowing() throws SQLException {
        long plain = sizeAfterDelivering("plain", false);
        long compacted = sizeAfterDelivering("compacting", true);

        assertTrue(compacted * 3 < plain, "compacted " + compacted + " bytes, plain " + plain + " bytes");
    }

    @Test
    void aPassAboveTheTargetWritesNothing() throws SQLException {
        String url = url("target");
        try (Connection connection = open(url)) {
            deliver(connection, 0, 500, null);
            DatabaseFile.use(url, "sa", "", file -> compactUpTo(file, 40));
            int fill = DatabaseFile.use(url, "sa", "", DatabaseFile::fillRate);
            boolean rewritten = DatabaseFile.use(url, "sa", "", file -> file.compact(fill / 2, 1 << 20));

            assertTrue(fill >= 40, "compacted up to 40 %, was " + fill);
            assertFalse(rewritten, "a file " + fill + " % current is left alone below " + fill / 2 + " %");
        }
    }

    /** Passes of 256 KB until one writes nothing (at most 100); answers how many wrote. */
    private static int compactUpTo(DatabaseFile file, int fillRate) {
        int passes = 0;
        while (passes < 100 && file.compact(fillRate, 256 * 1024)) {
            passes++;
        }
        return passes;
    }

    private long sizeAfterDelivering(String name, boolean compacting) throws SQLException {
        String url = url(name);
        try (Connection connection = open(url)) {
            deliver(connection, 0, 4_000, compacting ? url : null);
            return DatabaseFile.use(url, "sa", "", DatabaseFile::sizeBytes);
        }
    }

    private String url(String name) {
        return "jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0;RETENTION_TIME=0";
    }

    private static Connection open(String url) throws SQLException {
        Connection connection = DriverManager.getConnection(url, "sa", "");
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE MESSAGE (ID VARCHAR(64) PRIMARY KEY, STATE VARCHAR(16) NOT NULL, "
                    + "BODY VARCHAR(1000), UPDATED BIGINT)");
            statement.execute("CREATE INDEX MESSAGE_STATE ON MESSAGE(STATE)");
            statement.execute("CREATE TABLE EVENT (ID BIGINT AUTO_INCREMENT PRIMARY KEY, MESSAGE_ID VARCHAR(64), "
                    + "STATE VARCHAR(16))");
            statement.execute("CREATE INDEX EVENT_MESSAGE ON EVENT(MESSAGE_ID)");
        }
        connection.setAutoCommit(false);
        return connection;
    }

    /** Each message created, started and delivered in commits of their own; compacting every 100 messages. */
    private static void deliver(Connection connection, int from, int count, String compactingUrl)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO MESSAGE (ID, STATE, BODY, UPDATED) VALUES (?, 'CREATED', ?, 0)");
             PreparedStatement update = connection.prepareStatement(
                     "UPDATE MESSAGE SET STATE = ?, UPDATED = UPDATED + 1 WHERE ID = ?");
             PreparedStatement event = connection.prepareStatement(
                     "INSERT INTO EVENT (MESSAGE_ID, STATE) VALUES (?, ?)")) {
            for (int i = from; i < from + count; i++) {
                String id = String.format("msg_%08d", i);
                insert.setString(1, id);
                insert.setString(2, PAYLOAD);
                insert.executeUpdate();
                logged(event, id, "CREATED");
                connection.commit();
                for (String state : new String[] {"ACTIVE", "DELIVERED"}) {
                    update.setString(1, state);
                    update.setString(2, id);
                    update.executeUpdate();
                    logged(event, id, state);
                    connection.commit();
                }
                if (compactingUrl != null && i % 100 == 99) {
                    DatabaseFile.use(compactingUrl, "sa", "", file -> file.compact(50, 256 * 1024));
                }
            }
        }
    }

    private static void logged(PreparedStatement event, String id, String state) throws SQLException {
        event.setString(1, id);
        event.setString(2, state);
        event.executeUpdate();
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
