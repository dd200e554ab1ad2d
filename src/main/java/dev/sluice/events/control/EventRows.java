package dev.sluice.events.control;

import dev.sluice.events.entity.MessageEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Inserts numbered events with one JDBC batch on the transaction's connection: three rows per delivered message,
 * which EclipseLink would register, clone and compute changes for, although nothing reads them back in the same
 * transaction.
 */
final class EventRows {

    static final String INSERT = "INSERT INTO " + MessageEvent.TABLE + " (ID, STATE, MESSAGE_ID, URL, FLOW_KEY,"
            + " LABELS, RESPONSE_STATUS, ERROR, NEXT_DELIVERY_TIME, QUEUE_NAME, TOPIC_NAME, SCHEDULE_ID)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private EventRows() {
    }

    static void insert(Connection connection, List<MessageEvent> events) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (MessageEvent event : events) {
                bind(insert, event);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void bind(PreparedStatement insert, MessageEvent event) throws SQLException {
        insert.setLong(1, event.getId());
        insert.setString(2, event.getState());
        insert.setString(3, event.getMessageId());
        nullable(insert, 4, event.getUrl());
        nullable(insert, 5, event.getFlowKey());
        nullable(insert, 6, event.getLabels());
        if (event.getResponseStatus() == null) {
            insert.setNull(7, Types.INTEGER);
        } else {
            insert.setInt(7, event.getResponseStatus());
        }
        nullable(insert, 8, event.getError());
        if (event.getNextDeliveryTime() == null) {
            insert.setNull(9, Types.BIGINT);
        } else {
            insert.setLong(9, event.getNextDeliveryTime());
        }
        nullable(insert, 10, event.getQueueName());
        nullable(insert, 11, event.getTopicName());
        nullable(insert, 12, event.getScheduleId());
    }

    private static void nullable(PreparedStatement insert, int index, String value) throws SQLException {
        if (value == null) {
            insert.setNull(index, Types.VARCHAR);
        } else {
            insert.setString(index, value);
        }
    }
}
