package dev.sluice.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final List<List<Integer>> transactions = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch firstCommitRunning = new CountDownLatch(1);
    private final CountDownLatch releaseFirstCommit = new CountDownLatch(1);
    private GroupCommit<Integer, String> commits;

    @AfterEach
    void close() {
        commits.close();
    }

    @Test
    void submissionsWaitingWhileACommitRunsShareTheNextTransaction() throws Exception {
        commits = startedHoldingTheFirstCommit(10, this::recorded);
        CompletableFuture<List<String>> first = commits.submit(List.of(1));
        assertTrue(firstCommitRunning.await(5, TimeUnit.SECONDS));
        CompletableFuture<List<String>> second = commits.submit(List.of(2, 3));
        CompletableFuture<List<String>> third = commits.submit(List.of(4));
        releaseFirstCommit.countDown();

        assertEquals(List.of("#1"), first.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("#2", "#3"), second.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("#4"), third.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(1), List.of(2, 3, 4)), transactions);
    }

    @Test
    void aTransactionHoldsNoMoreSubmissionsOnceItReachedTheMaximum() throws Exception {
        commits = startedHoldingTheFirstCommit(3, this::recorded);
        CompletableFuture<List<String>> first = commits.submit(List.of(1));
        assertTrue(firstCommitRunning.await(5, TimeUnit.SECONDS));
        List<CompletableFuture<List<String>>> queued = new ArrayList<>();
        for (int i = 2; i <= 6; i++) {
            queued.add(commits.submit(List.of(i)));
        }
        releaseFirstCommit.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (CompletableFuture<List<String>> each : queued) {
            each.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of(List.of(1), List.of(2, 3, 4), List.of(5, 6)), transactions);
    }

    @Test
    void aFailedSharedTransactionIsRetriedPerSubmissionSoOnlyTheBadOneFails() throws Exception {
        commits = startedHoldingTheFirstCommit(10, items -> {
            if (items.contains(-1)) {
                throw new IllegalArgumentException("bad item");
            }
            return recorded(items);
        });
        CompletableFuture<List<String>> first = commits.submit(List.of(1));
        assertTrue(firstCommitRunning.await(5, TimeUnit.SECONDS));
        CompletableFuture<List<String>> good = commits.submit(List.of(2));
        CompletableFuture<List<String>> bad = commits.submit(List.of(-1));
        releaseFirstCommit.countDown();

        first.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("#2"), good.get(5, TimeUnit.SECONDS));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertEquals("bad item", failure.getCause().getMessage());
        assertEquals(List.of(List.of(1), List.of(2)), transactions);
    }

    @Test
    void withALingerSubmissionsArrivingMeanwhileShareTheFirstOnesTransaction() throws Exception {
        commits = new GroupCommit<>("test", 3, Duration.ofSeconds(30), this::recorded).start(Thread::new, 1);
        CompletableFuture<List<String>> first = commits.submit(List.of(1));
        Thread.sleep(100); // without a linger, the first submission is committed alone meanwhile
        CompletableFuture<List<String>> second = commits.submit(List.of(2));
        CompletableFuture<List<String>> third = commits.submit(List.of(3));

        // full at three items: committed at once, long before the linger ends
        assertEquals(List.of("#1"), first.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("#2"), second.get(5, TimeUnit.SECONDS));
        assertEquals(List.of("#3"), third.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(List.of(1, 2, 3)), transactions);
    }

    @Test
    void withALingerALoneSubmissionIsCommittedOnceItEnds() throws Exception {
        commits = new GroupCommit<>("test", 10, Duration.ofMillis(200), this::recorded).start(Thread::new, 1);
        long submitted = System.nanoTime();

        assertEquals(List.of("#1"), commits.submit(List.of(1)).get(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - submitted >= TimeUnit.MILLISECONDS.toNanos(200), "committed before its linger");
        assertEquals(List.of(List.of(1)), transactions);
    }

    @Test
    void commitRethrowsTheTransactionsOwnException() {
        commits = started(10, items -> {
            throw new IllegalStateException("database down");
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> commits.commit(List.of(1)));
        assertEquals("database down", thrown.getMessage());
    }

    @Test
    void afterCloseSubmissionsFailInsteadOfWaitingForever() {
        commits = started(10, this::recorded);
        commits.close();
        CompletableFuture<List<String>> late = commits.submit(List.of(1));
        assertThrows(ExecutionException.class, () -> late.get(5, TimeUnit.SECONDS));
    }

    /** The first transaction blocks until {@code releaseFirstCommit}, so that submissions queue up behind it. */
    private GroupCommit<Integer, String> startedHoldingTheFirstCommit(
            int maxItems, Function<List<Integer>, List<String>> transaction) {
        return started(maxItems, items -> {
            if (transactions.isEmpty()) {
                firstCommitRunning.countDown();
                await(releaseFirstCommit);
            }
            return transaction.apply(items);
        });
    }

    private GroupCommit<Integer, String> started(int maxItems, Function<List<Integer>, List<String>> transaction) {
        return new GroupCommit<>("test", maxItems, transaction).start(Thread::new, 1);
    }

    private List<String> recorded(List<Integer> items) {
        transactions.add(List.copyOf(items));
        return items.stream().map(item -> "#" + item).toList();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
