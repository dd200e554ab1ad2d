package dev.sluice.delivery.control;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The message table in an in-memory H2 database (the embedded one), with the columns the statement batches touch,
 * named as the entity maps them: the ticket's (ID, STATE, UPDATEDAT, RETRIED) and any given more.
 */
final class MessageTable implements AutoCloseable {

    final Connection db;

    MessageTable(String moreColumns) throws SQLException {
        db = DriverManager.getConnection("jdbc:h2:mem:");
        try (Statement ddl = db.createStatement()) {
            ddl.execute("CREATE TABLE SLUICE_MESSAGE (ID VARCHAR(64) PRIMARY KEY, STATE VARCHAR(16) NOT NULL,"
                    + " UPDATEDAT BIGINT NOT NULL, RETRIED INTEGER NOT NULL" + moreColumns + ")");
        }
    }

    /** A message in this state at this retry, updated at 1. */
    void store(String id, String state, int retried) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO SLUICE_MESSAGE (ID, STATE, UPDATEDAT, RETRIED) VALUES (?, ?, 1, ?)")) {
            insert.setString(1, id);
            insert.setString(2, state);
            insert.setInt(3, retried);
            insert.executeUpdate();
        }
    }

    /** The row's values of these columns, separated by spaces. */
    String row(String id, String columns) throws SQLException {
        try (PreparedStatement select = db.prepareStatement(
                "SELECT " + columns + " FROM SLUICE_MESSAGE WHERE ID = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                List<String> values = new ArrayList<>();
                for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
                    values.add(row.getString(column));
                }
                return String.join(" ", values);
            }
        }
    }

    byte[] bytes(String id, String column) throws SQLException {
        try (PreparedStatement select = db.prepareStatement("SELECT " + column + " FROM SLUICE_MESSAGE WHERE ID = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getBytes(1);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
