package dev.sluice.delivery.control;

import dev.sluice.messages.entity.Message;
import dev.sluice.messages.entity.MessageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Marks the messages of a group of succeeded attempts DELIVERED with their responses, each only if its attempt is
 * still the one in flight (its message ACTIVE at the ticket's retry), or, for a delivery written with its start, only
 * if the attempt is still due (its message waiting at the ticket's retry): a cancel committed meanwhile wins, one
 * that comes later waits for this transaction. One JDBC batch for the group, instead of reading the messages (locked)
 * into the persistence context and having EclipseLink compute and write their changes.
 */
final class DeliveredBatch {

    /** A delivery to record: the message's ticket and the response it got. */
    record Delivered(String messageId, int retried, Message.Response response) {
    }

    /** What a delivered message was before: in flight, or still waiting when its start is written with it. */
    enum From {
        /** its start was written before */
        IN_FLIGHT(Set.of(MessageState.ACTIVE)),
        /** its start is written with it, if still due ({@link StartBatch}'s condition) */
        NOT_STARTED(MessageState.WAITING);

        private final List<MessageState> states;
        private final String update;

        From(Set<MessageState> states) {
            this.states = List.copyOf(states);
            this.update = "UPDATE SLUICE_MESSAGE SET STATE = ?, UPDATEDAT = ?, RESPONSESTATUS = ?,"
                    + " RESPONSEHEADERS = ?, RESPONSEBODY = ?, LASTERROR = ?"
                    + " WHERE ID = ? AND RETRIED = ? AND STATE IN ("
                    + String.join(", ", Collections.nCopies(states.size(), "?")) + ")";
        }
    }

    private DeliveredBatch() {
    }

    /** Per delivery, in order: whether its message was marked DELIVERED ({@link ConditionalUpdates#run}). */
    static List<Boolean> run(Connection connection, From from, List<Delivered> deliveries, long now)
            throws SQLException {
        return ConditionalUpdates.run(connection, from.update, deliveries,
                (update, delivered) -> bind(update, from, delivered, now));
    }

    private static void bind(PreparedStatement update, From from, Delivered delivered, long now)
            throws SQLException {
        Message.Response response = delivered.response();
        int index = 1;
        update.setString(index++, MessageState.DELIVERED.name());
        update.setLong(index++, now);
        update.setInt(index++, response.status());
        update.setString(index++, response.headers());
        update.setBytes(index++, response.body());
        if (response.error() == null) {
            update.setNull(index++, Types.VARCHAR);
        } else {
            update.setString(index++, response.error());
        }
        update.setString(index++, delivered.messageId());
        update.setInt(index++, delivered.retried());
        for (MessageState state : from.states) {
            update.setString(index++, state.name());
        }
    }
}
