package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.delivery.entity.DeliveryTicket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against H2 (the embedded database) with the columns the start updates, as the entity maps them. */
class StartBatchTest {

    private static final long NOW = 1_700_000_000_000L;

    private Connection db;

    @BeforeEach
    void createTable() throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:");
        try (Statement ddl = db.createStatement()) {
            ddl.execute("CREATE TABLE SLUICE_MESSAGE (ID VARCHAR(64) PRIMARY KEY, STATE VARCHAR(16) NOT NULL,"
                    + " UPDATEDAT BIGINT NOT NULL, RETRIED INTEGER NOT NULL)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    @Test
    void onlyMessagesWaitingAtTheTicketsRetryStart() throws SQLException {
        store("created", "CREATED", 0);
        store("retry", "RETRY", 2);
        store("cancelled", "CANCELLED", 0);
        store("active", "ACTIVE", 0);
        store("stale", "RETRY", 1);

        List<Boolean> started = StartBatch.run(db, List.of(ticket("created", 0), ticket("retry", 2),
                ticket("cancelled", 0), ticket("active", 0), ticket("stale", 0), ticket("unknown", 0)), NOW);

        assertEquals(List.of(true, true, false, false, false, false), started);
        assertEquals("ACTIVE " + NOW, row("created"));
        assertEquals("ACTIVE " + NOW, row("retry"));
        assertEquals("CANCELLED 1", row("cancelled"));
        assertEquals("ACTIVE 1", row("active"));
        assertEquals("RETRY 1", row("stale"));
    }

    @Test
    void ofTwoCopiesOfATicketInOneBatchOnlyTheFirstStarts() throws SQLException {
        store("twice", "CREATED", 0);

        assertEquals(List.of(true, false), StartBatch.run(db, List.of(ticket("twice", 0), ticket("twice", 0)), NOW));
    }

    @Test
    void noTicketsNoStatement() throws SQLException {
        db.close();

        assertEquals(List.of(), StartBatch.run(db, List.of(), NOW));
    }

    private void store(String id, String state, int retried) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO SLUICE_MESSAGE VALUES (?, ?, 1, ?)")) {
            insert.setString(1, id);
            insert.setString(2, state);
            insert.setInt(3, retried);
            insert.executeUpdate();
        }
    }

    private String row(String id) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT STATE, UPDATEDAT FROM SLUICE_MESSAGE WHERE ID = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1) + " " + row.getLong(2);
            }
        }
    }

    private static DeliveryTicket ticket(String id, int retried) {
        return new DeliveryTicket(id, null, null, 30_000, retried);
    }
}
