package dev.sluice.events.boundary;

import dev.sluice.events.control.EventFilter;
import dev.sluice.platform.boundary.QueryValues;
import jakarta.ws.rs.QueryParam;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The query of the logs calls: filters (each may repeat), {@code count} (at most 1000) and {@code cursor}. */
public class EventsQuery {

    private static final int DEFAULT_COUNT = 100;
    private static final int MAX_COUNT = 1000;

    @QueryParam("cursor")
    String cursor;
    @QueryParam("count")
    String count;
    @QueryParam("state")
    List<String> states;
    @QueryParam("messageId")
    List<String> messageId;
    @QueryParam("messageIds")
    List<String> messageIds;
    @QueryParam("url")
    List<String> urls;
    @QueryParam("label")
    List<String> labels;
    @QueryParam("flowControlKey")
    List<String> flowControlKeys;
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

    int offset() {
        return QueryValues.offset(cursor);
    }

    int size() {
        return QueryValues.pageSize(count, DEFAULT_COUNT, MAX_COUNT);
    }

    EventFilter filter() {
        List<String> ids = new ArrayList<>(QueryValues.all(messageId));
        ids.addAll(QueryValues.all(messageIds));
        return new EventFilter(states(), ids, QueryValues.all(urls), QueryValues.all(labels),
                QueryValues.all(flowControlKeys), QueryValues.epochMillis("fromDate", fromDate),
                QueryValues.epochMillis("toDate", toDate), QueryValues.all(queueNames), QueryValues.all(topicNames),
                QueryValues.all(scheduleIds));
    }

    /** The SDK spells the cancelled state CANCELED; IN_PROGRESS means ACTIVE, RETRY or ERROR. */
    private List<String> states() {
        return QueryValues.all(states).stream().map(state -> state.toUpperCase(Locale.ROOT))
                .flatMap(state -> switch (state) {
                    case "CANCELED" -> Stream.of("CANCELLED");
                    case "IN_PROGRESS" -> Stream.of("ACTIVE", "RETRY", "ERROR");
                    default -> Stream.of(state);
                }).toList();
    }
}
