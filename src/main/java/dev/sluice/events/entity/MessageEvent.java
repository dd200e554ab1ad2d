package dev.sluice.events.entity;

import dev.sluice.messages.entity.Message;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;

/**
 * One state transition of a message, as QStash's logs show them: CREATED, ACTIVE, DELIVERED, ERROR, RETRY, FAILED,
 * CANCELLED. Written in the transaction that makes the transition.
 */
@Entity
@Table(name = "SLUICE_EVENT", indexes = {
        @Index(name = "SLUICE_EVENT_TIME", columnList = "TIME"),
        @Index(name = "SLUICE_EVENT_MESSAGE", columnList = "MESSAGE_ID")})
public class MessageEvent {

    @Id
    @Column(length = 64)
    private String id;

    @Column(name = "TIME")
    private long time;

    @Column(length = 16, nullable = false)
    private String state;

    @Column(name = "MESSAGE_ID", length = 64, nullable = false)
    private String messageId;

    @Column(length = 4096)
    private String url;

    @Column(name = "FLOW_KEY", length = 250)
    private String flowKey;

    @Column(length = 1000)
    private String labels;

    private Integer responseStatus;

    @Column(length = 2000)
    private String error;

    private Long nextDeliveryTime;

    @Column(name = "QUEUE_NAME", length = 100)
    private String queueName;

    @Column(length = 250)
    private String topicName;

    @Column(name = "SCHEDULE_ID", length = 100)
    private String scheduleId;

    protected MessageEvent() {
    }

    public MessageEvent(String id, long time, String state, Message message) {
        this.id = id;
        this.time = time;
        this.state = state;
        this.messageId = message.getId();
        this.url = message.getDestination();
        this.flowKey = message.getFlowKey();
        this.labels = message.getLabels();
        this.queueName = message.getQueueName();
        this.topicName = message.getTopicName();
        this.scheduleId = message.getScheduleId();
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

    public String getId() { return id; }
    public long getTime() { return time; }
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
