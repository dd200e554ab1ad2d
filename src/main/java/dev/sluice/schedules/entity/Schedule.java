package dev.sluice.schedules.entity;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/**
 * A schedule: at each firing of its cron expression a message is published to its destination with the stored
 * request (the {@code Upstash-*} headers and the body it was created with). Times are epoch milliseconds.
 */
@Entity
@Table(name = "SLUICE_SCHEDULE", indexes = @Index(name = "SLUICE_SCHEDULE_NEXT", columnList = "NEXT_TIME"))
public class Schedule {

    @Id
    @Column(length = 100)
    private String id;

    @Column(nullable = false, length = 300)
    private String cron;

    @Column(nullable = false, length = 4096)
    private String destination;

    /** the configuration headers of the create request, JSON name -> [values] */
    @Lob
    private String headers;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    private byte[] body;

    @Column(length = 100)
    private String callerIp;

    private long createdAt;
    private boolean paused;
    private Long lastScheduleTime;
    @Column(name = "NEXT_TIME")
    private long nextScheduleTime;
    @Column(length = 64)
    private String lastMessageId;

    protected Schedule() {
    }

    public Schedule(String id, long createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }

    public String getId() { return id; }
    public String getCron() { return cron; }
    public String getDestination() { return destination; }
    public String getHeaders() { return headers; }
    public byte[] getBody() { return body == null ? new byte[0] : body; }
    public String getCallerIp() { return callerIp; }
    public long getCreatedAt() { return createdAt; }
    public boolean isPaused() { return paused; }
    public Long getLastScheduleTime() { return lastScheduleTime; }
    public long getNextScheduleTime() { return nextScheduleTime; }
    public String getLastMessageId() { return lastMessageId; }

    /** Creates or replaces the request and the cron expression (an upsert keeps the id and creation time). */
    public void define(String cron, String destination, String headers, byte[] body, String callerIp,
                       long nextScheduleTime) {
        // the lazy body first: loading it (weaving's fetch group) reloads the other fields from the database
        this.body = body;
        this.cron = cron;
        this.destination = destination;
        this.headers = headers;
        this.callerIp = callerIp;
        this.nextScheduleTime = nextScheduleTime;
    }

    public void pause(boolean paused) {
        this.paused = paused;
    }

    public void fired(long time, String messageId, long next) {
        this.lastScheduleTime = time;
        this.lastMessageId = messageId;
        this.nextScheduleTime = next;
    }

    /** When paused or unable to fire, the next firing moves on without publishing. */
    public void skipTo(long next) {
        this.nextScheduleTime = next;
    }
}
