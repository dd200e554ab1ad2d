package dev.sluice.delivery.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.delivery.entity.DeliveryTicket;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StartBatchTest {

    private static final long NOW = 1_700_000_000_000L;

    private MessageTable messages;

    @BeforeEach
    void createTable() throws SQLException {
        messages = new MessageTable("");
    }

    @AfterEach
    void close() throws SQLException {
        messages.close();
    }

    @Test
    void onlyMessagesWaitingAtTheTicketsRetryStart() throws SQLException {
        messages.store("created", "CREATED", 0);
        messages.store("retry", "RETRY", 2);
        messages.store("cancelled", "CANCELLED", 0);
        messages.store("active", "ACTIVE", 0);
        messages.store("stale", "RETRY", 1);

        List<Boolean> started = StartBatch.run(messages.db, List.of(ticket("created", 0), ticket("retry", 2),
                ticket("cancelled", 0), ticket("active", 0), ticket("stale", 0), ticket("unknown", 0)), NOW);

        assertEquals(List.of(true, true, false, false, false, false), started);
        assertEquals("ACTIVE " + NOW, state("created"));
        assertEquals("ACTIVE " + NOW, state("retry"));
        assertEquals("CANCELLED 1", state("cancelled"));
        assertEquals("ACTIVE 1", state("active"));
        assertEquals("RETRY 1", state("stale"));
    }

    @Test
    void ofTwoCopiesOfATicketInOneBatchOnlyTheFirstStarts() throws SQLException {
        messages.store("twice", "CREATED", 0);

        assertEquals(List.of(true, false), StartBatch.run(messages.db, List.of(ticket("twice", 0),
                ticket("twice", 0)), NOW));
    }

    @Test
    void noTicketsNoStatement() throws SQLException {
        messages.close();

        assertEquals(List.of(), StartBatch.run(messages.db, List.of(), NOW));
    }

    private String state(String id) throws SQLException {
        return messages.row(id, "STATE, UPDATEDAT");
    }

    private static DeliveryTicket ticket(String id, int retried) {
        return new DeliveryTicket(id, null, null, 30_000, retried);
    }
}
