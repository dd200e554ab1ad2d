package dev.sluice.delivery.control;

import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Marks the messages of a group of succeeded attempts DELIVERED with their responses, each only if its attempt is
 * still the one in flight (its message ACTIVE at the ticket's retry): a cancel committed meanwhile wins, one that
 * comes later waits for this transaction. One JDBC batch for the group, instead of reading the messages (locked)
 * into the persistence context and having EclipseLink compute and write their changes.
 */
final class DeliveredBatch {

    static final String UPDATE = "UPDATE SLUICE_MESSAGE SET STATE = ?, UPDATEDAT = ?, RESPONSESTATUS = ?,"
            + " RESPONSEHEADERS = ?, RESPONSEBODY = ?, LASTERROR = ? WHERE ID = ? AND RETRIED = ? AND STATE = ?";

    /** A delivery to record: the message's ticket and the response it got. */
    record Delivered(String messageId, int retried, Message.Response response) {
    }

    private DeliveredBatch() {
    }

    /** Per delivery, in order: whether its message was marked DELIVERED ({@link ConditionalUpdates#run}). */
    static List<Boolean> run(Connection connection, List<Delivered> deliveries, long now) throws SQLException {
        return ConditionalUpdates.run(connection, UPDATE, deliveries,
                (update, delivered) -> bind(update, delivered, now));
    }

    private static void bind(PreparedStatement update, Delivered delivered, long now) throws SQLException {
        Message.Response response = delivered.response();
        update.setString(1, MessageState.DELIVERED.name());
        update.setLong(2, now);
        update.setInt(3, response.status());
        update.setString(4, response.headers());
        update.setBytes(5, response.body());
        if (response.error() == null) {
            update.setNull(6, Types.VARCHAR);
        } else {
            update.setString(6, response.error());
        }
        update.setString(7, delivered.messageId());
        update.setInt(8, delivered.retried());
        update.setString(9, MessageState.ACTIVE.name());
    }
}
