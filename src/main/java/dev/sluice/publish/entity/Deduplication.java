package dev.sluice.publish.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * A deduplication id and the message it was first published as. Within the window, a publish with the same id is
 * answered with that message ({@code deduplicated: true}) and stores nothing.
 */
@Entity
@Table(name = "SLUICE_DEDUPLICATION", indexes = @Index(name = "SLUICE_DEDUPLICATION_CREATED", columnList = "CREATEDAT"))
public class Deduplication {

    @Id
    @Column(name = "DEDUP_ID", length = 128)
    private String id;

    @Column(length = 64, nullable = false)
    private String messageId;

    private long createdAt;

    protected Deduplication() {
    }

    public Deduplication(String id, String messageId, long createdAt) {
        this.id = id;
        this.messageId = messageId;
        this.createdAt = createdAt;
    }

    public String getMessageId() {
        return messageId;
    }

    public boolean isWithin(long windowMillis, long now) {
        return now - createdAt < windowMillis;
    }

    /** The id was last used longer ago than the window: it now stands for a new message. */
    public void reuse(String newMessageId, long now) {
        this.messageId = newMessageId;
        this.createdAt = now;
    }
}
