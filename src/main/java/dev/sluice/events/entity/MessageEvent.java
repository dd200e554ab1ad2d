package dev.sluice.events.entity;

import dev.sluice.messages.entity.Message;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One state transition of a message, as QStash's logs show them: CREATED, ACTIVE, DELIVERED, ERROR, RETRY, FAILED,
 * CANCELLED. Written in the transaction that makes the transition, with one JDBC batch per group of events
 * ({@code EventLog}); read back through JPA. Its number ({@link EventId}) holds its time.
 */
@Entity
@Table(name = MessageEvent.TABLE, indexes = @Index(name = "SLUICE_MESSAGE_EVENT_MESSAGE", columnList = "MESSAGE_ID"))
public class MessageEvent {

    public static final String TABLE = "SLUICE_MESSAGE_EVENT";

    @Id
    @Column(name = "ID")
    private long id;

    @Column(name = "STATE", length = 16, nullable = false)
    private String state;

    @Column(name = "MESSAGE_ID", length = 64, nullable = false)
    private String messageId;

    @Column(name = "URL", length = 4096)
    private String url;

    @Column(name = "FLOW_KEY", length = 250)
    private String flowKey;

    @Column(name = "LABELS", length = 1000)
    private String labels;

    @Column(name = "RESPONSE_STATUS")
    private Integer responseStatus;

    @Column(name = "ERROR", length = 2000)
    private String error;

    @Column(name = "NEXT_DELIVERY_TIME")
    private Long nextDeliveryTime;

    @Column(name = "QUEUE_NAME", length = 100)
    private String queueName;

    @Column(name = "TOPIC_NAME", length = 250)
    private String topicName;

    @Column(name = "SCHEDULE_ID", length = 100)
    private String scheduleId;

    protected MessageEvent() {
    }

    /** The event, not yet numbered: the log numbers it when it records it. */
    public MessageEvent(String state, Message message) {
        this.state = state;
        this.messageId = message.getId();
        this.url = message.getDestination();
        this.flowKey = message.getFlowKey();
        this.labels = message.getLabels();
        this.queueName = message.getQueueName();
        this.topicName = message.getTopicName();
        this.scheduleId = message.getScheduleId();
    }

    public MessageEvent numbered(long id) {
        this.id = id;
        return this;
    }

    public MessageEvent withResponse(Integer status, String error) {
        this.responseStatus = status;
        this.error = error;
        return this;
    }

    public MessageEvent nextDeliveryAt(long time) {
        this.nextDeliveryTime = time;
        return this;
    }

    public long getId() { return id; }
    public long getTime() { return EventId.timeOf(id); }
    public String getState() { return state; }
    public String getMessageId() { return messageId; }
    public String getUrl() { return url; }
    public String getFlowKey() { return flowKey; }
    public String getLabels() { return labels; }
    public Integer getResponseStatus() { return responseStatus; }
    public String getError() { return error; }
    public Long getNextDeliveryTime() { return nextDeliveryTime; }
    public String getQueueName() { return queueName; }
    public String getTopicName() { return topicName; }
    public String getScheduleId() { return scheduleId; }
}
