package dev.sluice.queues.entity;

import dev.sluice.platform.entity.PlainName;

/** A queue's name: 1 to 100 characters, each a letter, digit, {@code -}, {@code _} or {@code .} (QStash's rule). */
public record QueueName(String value) {

    public static final int MAX_LENGTH = PlainName.MAX_LENGTH;

    public QueueName {
        PlainName.check(value, "queue name");
    }

    @Override
    public String toString() {
        return value;
    }
}
