package dev.sluice.dlq.boundary;

import dev.sluice.messages.control.MessageFilter;
import dev.sluice.platform.boundary.QueryValues;
import jakarta.ws.rs.QueryParam;
import java.util.List;

/**
 * The query of QStash's DLQ calls: explicit {@code dlqIds}, or filters (each may repeat; none = every entry), plus
 * {@code count} (at most 100) and {@code cursor}.
 */
public class DlqQuery {

    static final int MAX_COUNT = 100;

    @QueryParam("dlqIds")
    List<String> dlqIds;
    @QueryParam("cursor")
    String cursor;
    @QueryParam("count")
    String count;
    @QueryParam("messageId")
    List<String> messageIds;
    @QueryParam("url")
    List<String> urls;
    @QueryParam("label")
    List<String> labels;
    @QueryParam("flowControlKey")
    List<String> flowControlKeys;
    @QueryParam("responseStatus")
    List<String> responseStatuses;
    @QueryParam("queueName")
    List<String> queueNames;
    @QueryParam("topicName")
    List<String> topicNames;
    @QueryParam("scheduleId")
    List<String> scheduleIds;
    @QueryParam("fromDate")
    String fromDate;
    @QueryParam("toDate")
    String toDate;

    List<String> ids() {
        return QueryValues.all(dlqIds);
    }

    int offset() {
        return QueryValues.offset(cursor);
    }

    int size() {
        return QueryValues.pageSize(count, MAX_COUNT, MAX_COUNT);
    }

    MessageFilter filter() {
        return new MessageFilter(QueryValues.all(flowControlKeys), QueryValues.all(urls), QueryValues.all(labels),
                QueryValues.epochMillis("fromDate", fromDate), QueryValues.epochMillis("toDate", toDate),
                QueryValues.all(messageIds), QueryValues.all(responseStatuses).stream()
                        .map(status -> (int) QueryValues.number("responseStatus", status, 0)).toList(),
                QueryValues.all(queueNames), QueryValues.all(topicNames),
                QueryValues.all(scheduleIds));
    }
}
