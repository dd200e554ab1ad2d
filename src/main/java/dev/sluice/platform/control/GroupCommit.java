package dev.sluice.platform.control;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Group commit. A transaction costs a database commit (and a broker commit) whatever it holds, so work submitted
 * while a commit runs is committed together by the next one: throughput grows with concurrency, while a lone
 * submission still commits at once (unless the group lingers). A submission completes only after the transaction
 * holding it committed. If a shared transaction fails, its submissions are committed again one by one, so one bad
 * item cannot fail the others.
 *
 * @param <I> what is committed
 * @param <O> what the commit answers per item, in the same order
 */
public final class GroupCommit<I, O> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class.getName());
    /** how often an idle committer checks whether it is closed (it is never interrupted: that could cut a commit) */
    private static final long IDLE_POLL_MILLIS = 200;

    private final String name;
    private final int maxItems;
    private final long lingerNanos;
    private final Function<List<I>, List<O>> transaction;
    private final BlockingQueue<Submission<I, O>> pending = new LinkedBlockingQueue<>();
    private final List<Thread> committers = new ArrayList<>();
    private volatile boolean open = true;

    private record Submission<I, O>(List<I> items, CompletableFuture<List<O>> result) {
    }

    /**
     * @param transaction commits the items in one transaction and answers one output per item; runs on the
     *                    committer threads
     */
    public GroupCommit(String name, int maxItems, Function<List<I>, List<O>> transaction) {
        this(name, maxItems, Duration.ZERO, transaction);
    }

    /**
     * @param linger how long a group keeps collecting after its first item before it commits (unless full): a
     *               commit costs the database a write of every page it touched however few rows changed, so when
     *               nobody waits for the commit, fewer and fuller commits cost less
     */
    public GroupCommit(String name, int maxItems, Duration linger, Function<List<I>, List<O>> transaction) {
        this.name = name;
        this.maxItems = maxItems;
        this.lingerNanos = linger.toNanos();
        this.transaction = transaction;
    }

    public GroupCommit<I, O> start(ThreadFactory threads, int committerCount) {
        for (int i = 0; i < committerCount; i++) {
            Thread thread = threads.newThread(this::commitWhileOpen);
            thread.setName("sluice-" + name + "-" + i);
            committers.add(thread);
            thread.start();
        }
        return this;
    }

    public CompletableFuture<List<O>> submit(List<I> items) {
        Submission<I, O> submission = new Submission<>(items, new CompletableFuture<>());
        pending.add(submission);
        if (!open && pending.remove(submission)) {
            submission.result().completeExceptionally(closed());
        }
        return submission.result();
    }

    /** Submits and waits for the commit; a failure of the transaction is rethrown as it was thrown. */
    public List<O> commit(List<I> items) {
        try {
            return submit(items).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Stops the committers once their current commit ends; what was not committed yet fails. */
    public void close() {
        open = false;
        Submission<I, O> left;
        while ((left = pending.poll()) != null) {
            left.result().completeExceptionally(closed());
        }
    }

    private IllegalStateException closed() {
        return new IllegalStateException(name + " is shut down");
    }

    private void commitWhileOpen() {
        while (open) {
            try {
                List<Submission<I, O>> group = nextGroup();
                if (!open) {
                    group.forEach(late -> late.result().completeExceptionally(closed()));
                } else if (!group.isEmpty()) {
                    commitGroup(group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, name + " committer failed; it carries on", e);
            }
        }
    }

    private List<Submission<I, O>> nextGroup() throws InterruptedException {
        List<Submission<I, O>> group = new ArrayList<>();
        Submission<I, O> next = pending.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + lingerNanos;
        int items = 0;
        while (next != null) {
            group.add(next);
            items += next.items().size();
            next = items < maxItems ? nextBefore(deadline) : null;
        }
        return group;
    }

    private Submission<I, O> nextBefore(long deadline) throws InterruptedException {
        Submission<I, O> next = pending.poll();
        long left = deadline - System.nanoTime();
        return next != null || left <= 0 ? next : pending.poll(left, TimeUnit.NANOSECONDS);
    }

    private void commitGroup(List<Submission<I, O>> group) {
        List<I> items = new ArrayList<>();
        group.forEach(submission -> items.addAll(submission.items()));
        List<O> outputs;
        try {
            outputs = transaction.apply(items);
        } catch (RuntimeException e) {
            if (group.size() == 1) {
                group.get(0).result().completeExceptionally(e);
            } else {
                group.forEach(submission -> commitGroup(List.of(submission)));
            }
            return;
        }
        int from = 0;
        for (Submission<I, O> submission : group) {
            int to = from + submission.items().size();
            submission.result().complete(List.copyOf(outputs.subList(from, to)));
            from = to;
        }
    }
}
