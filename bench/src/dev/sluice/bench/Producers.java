package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * N concurrent producers over HTTP: each thread publishes one message at a time ({@code POST /v2/publish}) until a
 * deadline or a count, optionally paced to a total rate. Records when each accepted message's response arrived
 * (its eligibility instant for messages under their limits), by sequence number, when asked to.
 */
final class Producers {
    final LongAdder accepted = new LongAdder();
    final LongAdder failed = new LongAdder();
    final Map<Long, Long> ackNanos = new ConcurrentHashMap<>();
    private final SluiceApi api;
    private final int threads;
    private final boolean recordAcks;

    Producers(SluiceApi api, int threads, boolean recordAcks) {
        this.api = api;
        this.threads = threads;
        this.recordAcks = recordAcks;
    }

    /** Publishes {@code plan(seq)} for seq = 0, 1, ... until {@code count} or {@code deadlineNanos}. */
    void run(LongFunction<SluiceApi.Draft> plan, long count, long deadlineNanos, double perSecond) {
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadlineNanos) {
                    long seq = next.getAndIncrement();
                    if (seq >= count) return;
                    if (perSecond > 0) {
                        long due = start + (long) (seq * 1e9 / perSecond);
                        long wait = due - System.nanoTime();
                        if (wait > 0) Command.sleep(wait / 1_000_000);
                    }
                    int status = api.publish(plan.apply(seq));
                    long now = System.nanoTime();
                    if (status == 201 || status == 200) {
                        accepted.increment();
                        if (recordAcks) ackNanos.put(seq, now);
                    } else {
                        failed.increment();
                    }
                }
            }, "producer-" + i);
            t.start();
            workers.add(t);
        }
        joinAll(workers);
    }

    /**
     * Loads messages with {@code POST /v2/batch} ({@code batchSize} per call, {@code threads} calls at a time) until
     * {@code count} or the deadline; returns how many were accepted. {@code loaded} counts live.
     */
    static long batchLoad(SluiceApi api, LongFunction<SluiceApi.Draft> plan, long count, int batchSize, int threads,
                          long deadlineNanos, LongAdder loaded, LongAdder failures) {
        AtomicLong next = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < deadlineNanos) {
                    long from = next.getAndAdd(batchSize);
                    if (from >= count) return;
                    List<SluiceApi.Draft> drafts = new ArrayList<>(batchSize);
                    for (long s = from; s < Math.min(count, from + batchSize); s++) drafts.add(plan.apply(s));
                    int status = api.batch(drafts);
                    if (status == 200 || status == 201) loaded.add(drafts.size());
                    else failures.add(drafts.size());
                }
            }, "loader-" + i);
            t.start();
            workers.add(t);
        }
        joinAll(workers);
        return loaded.sum();
    }

    private static void joinAll(List<Thread> workers) {
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
