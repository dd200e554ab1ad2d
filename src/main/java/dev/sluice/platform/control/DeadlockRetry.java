package dev.sluice.platform.control;

import java.sql.SQLException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs a transaction again when the database chose it as the victim of a deadlock (SQLSTATE 40001, and 40P01 on
 * PostgreSQL). Transactions that lock many message rows in one go (a bulk cancel) can meet the attempt committer,
 * which locks the rows of its group; the victim was rolled back, so running it again is safe.
 */
public final class DeadlockRetry {

    static final int ATTEMPTS = 5;
    private static final Set<String> DEADLOCK_STATES = Set.of("40001", "40P01");
    private static final int MAX_CAUSE_DEPTH = 32;

    private DeadlockRetry() {
    }

    public static <T> T run(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS || !isDeadlock(e)) {
                    throw e;
                }
                pause(10L * attempt);
            }
        }
    }

    static boolean isDeadlock(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof SQLException sql && (isDeadlockState(sql) || isDeadlockState(sql.getNextException()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A JDBC batch may report the failure of one of its statements only as its next exception (PostgreSQL's and
     * H2's drivers also give the batch's own exception its SQL state; looking further is defensive). An exception
     * without a state is no deadlock.
     */
    private static boolean isDeadlockState(SQLException sql) {
        return sql != null && sql.getSQLState() != null && DEADLOCK_STATES.contains(sql.getSQLState());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before running a transaction again", e);
        }
    }
}
