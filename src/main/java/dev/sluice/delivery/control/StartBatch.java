package dev.sluice.delivery.control;

import dev.sluice.delivery.entity.DeliveryTicket;
import dev.sluice.messages.entity.MessageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * Marks the messages of a group of starting attempts ACTIVE, each only if its attempt is still due (its message
 * waiting, at the ticket's retry): one conditional update per message, so a cancel and a start exclude each other and
 * only one of two copies of a ticket goes through. The updates go as one JDBC batch, one round trip to the database
 * for the whole group: EclipseLink runs a JPQL bulk update on its own each time, and with PostgreSQL every round trip
 * costs both processes a wake-up.
 */
final class StartBatch {

    static final String UPDATE = "UPDATE SLUICE_MESSAGE SET STATE = ?, UPDATEDAT = ?"
            + " WHERE ID = ? AND RETRIED = ? AND STATE IN ("
            + String.join(", ", Collections.nCopies(MessageState.WAITING.size(), "?")) + ")";

    private StartBatch() {
    }

    /** Per ticket, in order: whether its message was marked ACTIVE ({@link ConditionalUpdates#run}). */
    static List<Boolean> run(Connection connection, List<DeliveryTicket> tickets, long now) throws SQLException {
        return ConditionalUpdates.run(connection, UPDATE, tickets, (update, ticket) -> bind(update, ticket, now));
    }

    private static void bind(PreparedStatement update, DeliveryTicket ticket, long now) throws SQLException {
        int index = 1;
        update.setString(index++, MessageState.ACTIVE.name());
        update.setLong(index++, now);
        update.setString(index++, ticket.messageId());
        update.setInt(index++, ticket.retried());
        for (MessageState waiting : MessageState.WAITING) {
            update.setString(index++, waiting.name());
        }
    }
}
