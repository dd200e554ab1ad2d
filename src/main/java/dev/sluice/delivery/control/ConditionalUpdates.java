package dev.sluice.delivery.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * A JDBC batch of conditional updates, each meant for one row: one round trip to the database for the whole group,
 * where EclipseLink runs a JPQL bulk update on its own each time.
 */
final class ConditionalUpdates {

    /** Sets one update's parameters from its item. */
    @FunctionalInterface
    interface Binding<T> {
        void bind(PreparedStatement update, T item) throws SQLException;
    }

    private ConditionalUpdates() {
    }

    /**
     * Per item, in order: whether its update changed its row. No items, no statement. A failure must fail the whole
     * transaction: H2 runs the rest of a batch after a failed statement (and, after a deadlock, outside the
     * rolled-back transaction), so what the batch did is only undone by the caller's rollback.
     */
    static <T> List<Boolean> run(Connection connection, String sql, List<T> items, Binding<T> binding)
            throws SQLException {
        if (items.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (T item : items) {
                binding.bind(update, item);
                update.addBatch();
            }
            return Arrays.stream(update.executeBatch()).mapToObj(ConditionalUpdates::updatedOneRow).toList();
        }
    }

    /** H2 and PostgreSQL count the rows of each update of a batch; a driver that does not would update nothing. */
    private static boolean updatedOneRow(int count) {
        if (count == PreparedStatement.SUCCESS_NO_INFO) {
            throw new IllegalStateException("the JDBC driver does not count the rows of batched updates");
        }
        return count == 1;
    }
}
