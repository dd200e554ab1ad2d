package dev.sluice.messages.entity;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;
import java.util.List;
import java.util.Map;

/**
 * One published message and where it stands. Times are epoch milliseconds. The flow-control config is kept per
 * message (QStash semantics: each message keeps the config it was published with). The start of an attempt updates
 * the columns STATE and UPDATEDAT by name ({@code StartBatch}).
 * <p>
 * No index on FLOW_KEY: every insert and update of a row (the database rewrites each index entry of a row it
 * updates) would touch it at a place of its own per key, which with 1,000 keys cost about 5 % of Sluice's CPU per
 * delivery; only operators' calls read by key ({@code RetiredIndexes} drops the index earlier versions made).
 */
@Entity
@Table(name = "SLUICE_MESSAGE", indexes = {
        @Index(name = "SLUICE_MESSAGE_STATE", columnList = "STATE"),
        @Index(name = "SLUICE_MESSAGE_DLQ", columnList = "DLQ_ID"),
        @Index(name = "SLUICE_MESSAGE_QUEUE", columnList = "QUEUE_NAME")})
@NamedQueries({
        @NamedQuery(name = Message.CANCEL, query = "UPDATE Message m SET m.state = :cancelled, m.updatedAt = :now"
                + " WHERE m.id = :id AND m.state IN :pending"),
        @NamedQuery(name = Message.WITH_IDS, query = "SELECT m FROM Message m WHERE m.id IN :ids"),
        @NamedQuery(name = Message.READ_WITH_BODIES, query = "SELECT m, m.body FROM Message m WHERE m.id IN :ids",
                hints = @QueryHint(name = "eclipselink.read-only", value = "true")),
        @NamedQuery(name = Message.IN_STATES, query = "SELECT m FROM Message m WHERE m.state IN :states"),
        @NamedQuery(name = Message.IDS_IN_STATE, query = "SELECT m.id FROM Message m WHERE m.state = :state"),
        @NamedQuery(name = Message.DLQ, query = "SELECT m FROM Message m WHERE m.dlqId IS NOT NULL"
                + " ORDER BY m.updatedAt DESC, m.id")})
public class Message {

    /** the prefix of message ids ({@link MessageId}) */
    public static final String ID_PREFIX = "msg";
    /** a DLQ id begins with the time the message failed ({@link MessageId}) */
    public static final String DLQ_ID_PREFIX = "dlq";
    public static final String CANCEL = "Message.cancel";
    public static final String WITH_IDS = "Message.withIds";
    /**
     * read-only: a worker reads the messages of its tickets outside any transaction to find their attempts due, with
     * their bodies (which are fetched lazily otherwise) in the same statement
     */
    public static final String READ_WITH_BODIES = "Message.readWithBodies";
    public static final String IN_STATES = "Message.inStates";
    public static final String IDS_IN_STATE = "Message.idsInState";
    public static final String DLQ = "Message.dlq";
    /**
     * EclipseLink query hint: with it set to false, the lazy body is read with the rest of the row. Without it, a
     * body touched after the reading transaction makes EclipseLink read the whole row again into the entity, and an
     * answer built from it mixes two moments (state ACTIVE beside the response that made the message DELIVERED).
     */
    public static final String DEFAULT_FETCH_GROUP = "eclipselink.fetch-group.default";

    @Id
    @Column(length = 64)
    private String id;

    @Column(nullable = false, length = 4096)
    private String destination;

    @Column(nullable = false, length = 10)
    private String method;

    /** forwarded headers as JSON: name -> [values] */
    @Lob
    @Column(name = "HEADERS")
    private String headers;

    @Lob
    @Basic(fetch = FetchType.LAZY)
    private byte[] body;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private MessageState state;

    private long createdAt;
    private long updatedAt;
    private long notBefore;
    /** when the next attempt is due */
    private long dueAt;

    private int maxRetries;
    /** retries done so far; the attempt in progress or next due has number retried + 1 */
    private int retried;
    @Column(length = 1000)
    private String retryDelay;
    private long timeoutMillis;

    @Column(name = "FLOW_KEY", length = 250)
    private String flowKey;
    private Integer parallelism;
    private Integer rate;
    private Long periodSeconds;

    @Column(length = 4096)
    private String callback;
    @Column(length = 4096)
    private String failureCallback;
    @Column(length = 1000)
    private String labels;
    @Column(length = 100)
    private String callerIp;

    private Integer responseStatus;
    @Lob
    private String responseHeaders;
    @Lob
    private byte[] responseBody;
    @Column(length = 2000)
    private String lastError;

    @Column(name = "DLQ_ID", length = 64)
    private String dlqId;

    @Column(name = "QUEUE_NAME", length = 100)
    private String queueName;
    @Column(length = 250)
    private String topicName;
    @Column(length = 250)
    private String endpointName;
    @Column(name = "SCHEDULE_ID", length = 100)
    private String scheduleId;
    /** Upstash-Redact-Fields, canonical ({@link Redaction#text()}); null = nothing redacted */
    @Column(length = 2000)
    private String redactFields;
    /** the callback's configuration as Upstash-X headers, JSON name -> [values] */
    @Lob
    private String callbackHeaders;
    @Lob
    private String failureCallbackHeaders;
    /**
     * The intake batch that stored the message, whose broker send followed the database commit (see
     * IntakeRelay); null when the row and the broker message committed in one transaction
     */
    @Column(name = "INTAKE_BATCH")
    private Long intakeBatch;

    protected Message() {
    }

    public Message(String id, String destination, String method, long createdAt) {
        this.id = id;
        this.destination = destination;
        this.method = method;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        this.state = MessageState.CREATED;
    }

    public String getId() { return id; }
    public String getDestination() { return destination; }
    public String getMethod() { return method; }
    public String getHeaders() { return headers; }
    public void setHeaders(String headers) { this.headers = headers; }
    public byte[] getBody() { return body == null ? new byte[0] : body; }
    public void setBody(byte[] body) { this.body = body; }
    public MessageState getState() { return state; }
    public long getCreatedAt() { return createdAt; }
    public long getUpdatedAt() { return updatedAt; }
    public long getNotBefore() { return notBefore; }
    public void setNotBefore(long notBefore) { this.notBefore = notBefore; this.dueAt = notBefore; }
    public long getDueAt() { return dueAt; }
    public int getMaxRetries() { return maxRetries; }
    public void setMaxRetries(int maxRetries) { this.maxRetries = maxRetries; }
    public int getRetried() { return retried; }
    public String getRetryDelay() { return retryDelay; }
    public void setRetryDelay(String retryDelay) { this.retryDelay = retryDelay; }
    public long getTimeoutMillis() { return timeoutMillis; }
    public void setTimeoutMillis(long timeoutMillis) { this.timeoutMillis = timeoutMillis; }
    public String getFlowKey() { return flowKey; }
    public Integer getParallelism() { return parallelism; }
    public Integer getRate() { return rate; }
    public Long getPeriodSeconds() { return periodSeconds; }
    public String getCallback() { return callback; }
    public void setCallback(String callback) { this.callback = callback; }
    public String getFailureCallback() { return failureCallback; }
    public void setFailureCallback(String failureCallback) { this.failureCallback = failureCallback; }
    public String getLabels() { return labels; }
    public void setLabels(String labels) { this.labels = labels; }
    public String getCallerIp() { return callerIp; }
    public void setCallerIp(String callerIp) { this.callerIp = callerIp; }
    public Integer getResponseStatus() { return responseStatus; }
    public String getResponseHeaders() { return responseHeaders; }
    public byte[] getResponseBody() { return responseBody; }
    public String getLastError() { return lastError; }
    public String getDlqId() { return dlqId; }
    public String getQueueName() { return queueName; }
    public String getTopicName() { return topicName; }
    public String getEndpointName() { return endpointName; }
    public String getScheduleId() { return scheduleId; }
    public Redaction getRedaction() { return Redaction.parse(redactFields); }
    public String getCallbackHeaders() { return callbackHeaders; }
    public String getFailureCallbackHeaders() { return failureCallbackHeaders; }
    public Long getIntakeBatch() { return intakeBatch; }
    public void setIntakeBatch(Long intakeBatch) { this.intakeBatch = intakeBatch; }

    /**
     * Where the message came from (queue, URL group, schedule), what the API hides, and how its callbacks are
     * configured.
     */
    public void origin(String queueName, String topicName, String endpointName, String scheduleId,
                       Redaction redaction, Map<String, List<String>> callbackHeaders,
                       Map<String, List<String>> failureCallbackHeaders) {
        this.queueName = queueName;
        this.scheduleId = scheduleId;
        this.topicName = topicName;
        this.endpointName = endpointName;
        this.redactFields = redaction.text();
        this.callbackHeaders = callbackHeaders.isEmpty() ? null : HeaderMap.toJson(callbackHeaders);
        this.failureCallbackHeaders = failureCallbackHeaders.isEmpty() ? null
                : HeaderMap.toJson(failureCallbackHeaders);
    }

    public void flowControl(String key, Integer parallelism, Integer rate, Long periodSeconds) {
        this.flowKey = key;
        this.parallelism = parallelism;
        this.rate = rate;
        this.periodSeconds = periodSeconds;
    }

    /** Whether the message waits for the attempt after {@code retried} retries (a copy of its ticket may be stale). */
    public boolean awaitsAttempt(int retried) {
        return MessageState.WAITING.contains(state) && this.retried == retried;
    }

    /** What {@code StartBatch} writes with one conditional update per row: the attempt is under way. */
    public void attemptStarted(long now) {
        this.state = MessageState.ACTIVE;
        this.updatedAt = now;
    }

    public void delivered(Response response, long now) {
        recordResponse(response);
        this.state = MessageState.DELIVERED;
        this.updatedAt = now;
    }

    public void retryAt(Response response, long due, long now) {
        recordResponse(response);
        this.retried++;
        this.state = MessageState.RETRY;
        this.dueAt = due;
        this.updatedAt = now;
    }

    public void failed(Response response, String dlqId, long now) {
        recordResponse(response);
        this.state = MessageState.FAILED;
        this.dlqId = dlqId;
        this.updatedAt = now;
    }

    /** An attempt that was in flight when Sluice stopped is made again (at least once delivery). */
    public void requeue(long now) {
        this.state = retried == 0 ? MessageState.CREATED : MessageState.RETRY;
        this.dueAt = now;
        this.updatedAt = now;
    }

    /** A fresh message with this one's request and configuration (DLQ retry). */
    public Message resend(String newId, long now) {
        Message copy = new Message(newId, destination, method, now);
        copy.headers = headers;
        copy.body = body;
        copy.setNotBefore(now);
        copy.maxRetries = maxRetries;
        copy.retryDelay = retryDelay;
        copy.timeoutMillis = timeoutMillis;
        copy.flowControl(flowKey, parallelism, rate, periodSeconds);
        copy.callback = callback;
        copy.failureCallback = failureCallback;
        copy.labels = labels;
        copy.callerIp = callerIp;
        copy.queueName = queueName;
        copy.topicName = topicName;
        copy.endpointName = endpointName;
        copy.scheduleId = scheduleId;
        copy.redactFields = redactFields;
        copy.callbackHeaders = callbackHeaders;
        copy.failureCallbackHeaders = failureCallbackHeaders;
        return copy;
    }

    /** Out of the DLQ: a change, from which retention keeps the message as long as any that ended. */
    public void leaveDlq(long now) {
        this.dlqId = null;
        this.updatedAt = now;
    }

    private void recordResponse(Response response) {
        this.responseStatus = response.status();
        this.responseHeaders = response.headers();
        this.responseBody = response.body();
        this.lastError = response.error();
    }

    /** What the destination answered to the last attempt (status null when no HTTP response came back). */
    public record Response(Integer status, String headers, byte[] body, String error) {
    }
}
