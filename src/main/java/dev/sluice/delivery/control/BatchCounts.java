package dev.sluice.delivery.control;

import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;

/** The row counts of a JDBC batch of conditional updates, each meant for one row. */
final class BatchCounts {

    private BatchCounts() {
    }

    /** H2 and PostgreSQL count the rows of each update of a batch; a driver that does not would update nothing. */
    static List<Boolean> eachUpdatedOneRow(int[] counts) {
        return Arrays.stream(counts).mapToObj(BatchCounts::updatedOneRow).toList();
    }

    private static boolean updatedOneRow(int count) {
        if (count == PreparedStatement.SUCCESS_NO_INFO) {
            throw new IllegalStateException("the JDBC driver does not count the rows of batched updates");
        }
        return count == 1;
    }
}
