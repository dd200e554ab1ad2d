package dev.sluice.queues.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A QStash queue: messages enqueued into it are delivered in order with its parallelism (1 = one at a time) unless
 * paused. Times are epoch milliseconds.
 */
@Entity
@Table(name = "SLUICE_QUEUE")
public class Queue {

    public static final int DEFAULT_PARALLELISM = 1;

    @Id
    @Column(length = QueueName.MAX_LENGTH)
    private String name;

    private int parallelism;
    private boolean paused;
    private long createdAt;
    private long updatedAt;

    protected Queue() {
    }

    public Queue(String name, long now) {
        this.name = name;
        this.parallelism = DEFAULT_PARALLELISM;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public String getName() { return name; }
    public int getParallelism() { return parallelism; }
    public boolean isPaused() { return paused; }
    public long getCreatedAt() { return createdAt; }
    public long getUpdatedAt() { return updatedAt; }

    public void update(int parallelism, boolean paused, long now) {
        this.parallelism = parallelism;
        this.paused = paused;
        this.updatedAt = now;
    }
}
