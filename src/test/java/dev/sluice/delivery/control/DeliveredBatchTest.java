package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.delivery.control.DeliveredBatch.Delivered;
import dev.sluice.delivery.control.DeliveredBatch.From;
import dev.sluice.messages.entity.Message;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveredBatchTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final Message.Response OK = new Message.Response(200, "{\"Content-Type\":[\"text/plain\"]}",
            "fine".getBytes(StandardCharsets.UTF_8), null);

    private MessageTable messages;

    @BeforeEach
    void createTable() throws SQLException {
        messages = new MessageTable(", RESPONSESTATUS INTEGER, RESPONSEHEADERS CLOB, RESPONSEBODY BLOB,"
                + " LASTERROR VARCHAR(2000) DEFAULT 'earlier'");
    }

    @AfterEach
    void close() throws SQLException {
        messages.close();
    }

    @Test
    void onlyMessagesInFlightAtTheTicketsRetryAreDelivered() throws SQLException {
        messages.store("active", "ACTIVE", 1);
        messages.store("cancelled", "CANCELLED", 0);
        messages.store("stale", "ACTIVE", 2);
        messages.store("waiting", "RETRY", 0);

        List<Boolean> delivered = DeliveredBatch.run(messages.db, From.IN_FLIGHT, List.of(new Delivered("active", 1, OK),
                new Delivered("cancelled", 0, OK), new Delivered("stale", 1, OK), new Delivered("waiting", 0, OK),
                new Delivered("unknown", 0, OK)), NOW);

        assertEquals(List.of(true, false, false, false, false), delivered);
        assertEquals("DELIVERED " + NOW + " 200 {\"Content-Type\":[\"text/plain\"]} null", outcome("active"));
        assertArrayEquals("fine".getBytes(StandardCharsets.UTF_8), messages.bytes("active", "RESPONSEBODY"));
        assertEquals("CANCELLED 1 null null earlier", outcome("cancelled"));
        assertEquals("ACTIVE 1 null null earlier", outcome("stale"));
        assertEquals("RETRY 1 null null earlier", outcome("waiting"));
    }

    @Test
    void writtenWithTheirStartsOnlyMessagesStillWaitingAtTheTicketsRetryAreDelivered() throws SQLException {
        messages.store("created", "CREATED", 0);
        messages.store("retry", "RETRY", 1);
        messages.store("active", "ACTIVE", 0);
        messages.store("cancelled", "CANCELLED", 0);
        messages.store("stale", "RETRY", 2);

        List<Boolean> delivered = DeliveredBatch.run(messages.db, From.NOT_STARTED, List.of(
                new Delivered("created", 0, OK), new Delivered("retry", 1, OK), new Delivered("active", 0, OK),
                new Delivered("cancelled", 0, OK), new Delivered("stale", 1, OK)), NOW);

        assertEquals(List.of(true, true, false, false, false), delivered);
        assertEquals("DELIVERED " + NOW + " 200 {\"Content-Type\":[\"text/plain\"]} null", outcome("created"));
        assertEquals("DELIVERED " + NOW + " 200 {\"Content-Type\":[\"text/plain\"]} null", outcome("retry"));
        assertEquals("ACTIVE 1 null null earlier", outcome("active"), "started by another copy of the ticket");
        assertEquals("CANCELLED 1 null null earlier", outcome("cancelled"));
        assertEquals("RETRY 1 null null earlier", outcome("stale"));
    }

    @Test
    void theErrorOfAnEarlierAttemptIsCleared() throws SQLException {
        messages.store("retried", "ACTIVE", 1);

        DeliveredBatch.run(messages.db, From.IN_FLIGHT, List.of(new Delivered("retried", 1,
                new Message.Response(204, "{}", new byte[0], null))), NOW);

        assertEquals("DELIVERED " + NOW + " 204 {} null", outcome("retried"));
    }

    @Test
    void ofTwoCopiesOfAnOutcomeInOneBatchOnlyTheFirstIsRecorded() throws SQLException {
        messages.store("twice", "ACTIVE", 0);

        assertEquals(List.of(true, false), DeliveredBatch.run(messages.db, From.IN_FLIGHT, List.of(new Delivered("twice", 0, OK),
                new Delivered("twice", 0, OK)), NOW));
    }

    @Test
    void anUpdateOfTheBatchThatFailsFailsTheWholeBatch() throws SQLException {
        try (Statement ddl = messages.db.createStatement()) {
            ddl.execute("ALTER TABLE SLUICE_MESSAGE ADD CONSTRAINT STATUS_RANGE CHECK (RESPONSESTATUS < 600)");
        }
        messages.store("fine", "ACTIVE", 0);
        messages.store("odd", "ACTIVE", 0);

        assertThrows(SQLException.class, () -> DeliveredBatch.run(messages.db, From.IN_FLIGHT, List.of(new Delivered("fine", 0, OK),
                new Delivered("odd", 0, new Message.Response(999, "{}", new byte[0], null))), NOW),
                "the caller must roll back what the batch did");
    }

    @Test
    void noDeliveriesNoStatement() throws SQLException {
        messages.close();

        assertEquals(List.of(), DeliveredBatch.run(messages.db, From.IN_FLIGHT, List.of(), NOW));
    }

    private String outcome(String id) throws SQLException {
        return messages.row(id, "STATE, UPDATEDAT, RESPONSESTATUS, RESPONSEHEADERS, LASTERROR");
    }
}
