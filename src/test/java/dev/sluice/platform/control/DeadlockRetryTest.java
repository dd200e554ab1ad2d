package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlockRetryTest {

    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void aDeadlockVictimIsRunAgainUntilItCommits() {
        String result = DeadlockRetry.run(() -> {
            if (runs.incrementAndGet() < 3) {
                throw wrapped(new SQLException("Deadlock detected", "40001"));
            }
            return "committed";
        });

        assertEquals("committed", result);
        assertEquals(3, runs.get());
    }

    @Test
    void aTransactionThatKeepsLosingFailsAfterTheLastAttempt() {
        RuntimeException deadlock = wrapped(new SQLException("deadlock detected", "40P01"));

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> DeadlockRetry.run(() -> {
            runs.incrementAndGet();
            throw deadlock;
        }));

        assertSame(deadlock, thrown);
        assertEquals(DeadlockRetry.ATTEMPTS, runs.get());
    }

    @Test
    void otherFailuresAreNotRunAgain() {
        RuntimeException duplicateKey = wrapped(new SQLException("unique constraint", "23505"));

        assertSame(duplicateKey, assertThrows(RuntimeException.class, () -> DeadlockRetry.run(() -> {
            runs.incrementAndGet();
            throw duplicateKey;
        })));
        assertEquals(1, runs.get());
    }

    @Test
    void theDeadlockIsFoundAnywhereInTheCauseChain() {
        assertTrue(DeadlockRetry.isDeadlock(new IllegalStateException(wrapped(new SQLException("x", "40001")))));
        assertFalse(DeadlockRetry.isDeadlock(new IllegalStateException("no database involved")));
    }

    @Test
    void aDeadlockInsideAJdbcBatchIsFoundByTheBatchsStateOrItsNextException() {
        BatchUpdateException asPostgresReportsIt = new BatchUpdateException("batch entry 3 failed", "40P01", 0,
                new int[0], new SQLException("deadlock detected", "40P01"));
        assertTrue(DeadlockRetry.isDeadlock(new IllegalStateException("could not mark messages ACTIVE",
                asPostgresReportsIt)));

        BatchUpdateException onlyAsNextException = new BatchUpdateException("batch entry 3 failed", null, 0,
                new int[0], null);
        onlyAsNextException.setNextException(new SQLException("deadlock detected", "40P01"));
        assertTrue(DeadlockRetry.isDeadlock(new IllegalStateException("could not mark messages ACTIVE",
                onlyAsNextException)));
    }

    @Test
    void anSqlExceptionWithoutAStateIsNoDeadlockAndIsRethrownAsItWas() {
        RuntimeException stateless = wrapped(new SQLException("no state"));

        assertFalse(DeadlockRetry.isDeadlock(stateless));
        assertSame(stateless, assertThrows(RuntimeException.class, () -> DeadlockRetry.run(() -> {
            runs.incrementAndGet();
            throw stateless;
        })));
        assertEquals(1, runs.get());
    }

    /** how the container reports it: a persistence exception inside an EJB exception, the SQL one at the bottom */
    private static RuntimeException wrapped(SQLException sql) {
        return new RuntimeException("EJBException", new RuntimeException("PersistenceException", sql));
    }
}
