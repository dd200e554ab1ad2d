package dev.sluice.events.boundary;

import dev.sluice.events.control.EventFilter;
import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import dev.sluice.platform.boundary.QueryValues;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Message logs: {@code GET /v2/events} (what the SDK's {@code logs} calls, key {@code events}) and the documented
 * {@code GET /v2/logs} (key {@code logs}). Newest first, {@code count} at most 1000, {@code cursor} pages on.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    private static final int DEFAULT_COUNT = 100;
    private static final int MAX_COUNT = 1000;

    @Inject
    EventLog log;

    @GET
    @Path("events")
    @Transactional
    public String events(@QueryParam("cursor") String cursor, @QueryParam("count") String count,
                         @QueryParam("state") List<String> states, @QueryParam("messageId") List<String> messageId,
                         @QueryParam("messageIds") List<String> messageIds, @QueryParam("url") List<String> urls,
                         @QueryParam("label") List<String> labels,
                         @QueryParam("flowControlKey") List<String> keys,
                         @QueryParam("fromDate") String fromDate, @QueryParam("toDate") String toDate) {
        return page("events", cursor, count, states, messageId, messageIds, urls, labels, keys, fromDate, toDate);
    }

    @GET
    @Path("logs")
    @Transactional
    public String logs(@QueryParam("cursor") String cursor, @QueryParam("count") String count,
                       @QueryParam("state") List<String> states, @QueryParam("messageId") List<String> messageId,
                       @QueryParam("messageIds") List<String> messageIds, @QueryParam("url") List<String> urls,
                       @QueryParam("label") List<String> labels, @QueryParam("flowControlKey") List<String> keys,
                       @QueryParam("fromDate") String fromDate, @QueryParam("toDate") String toDate) {
        return page("logs", cursor, count, states, messageId, messageIds, urls, labels, keys, fromDate, toDate);
    }

    private String page(String key, String cursor, String count, List<String> states, List<String> messageId,
                        List<String> messageIds, List<String> urls, List<String> labels, List<String> keys,
                        String fromDate, String toDate) {
        int offset = (int) Math.min(Integer.MAX_VALUE, QueryValues.number("cursor", cursor, 0));
        int size = (int) Math.max(1, Math.min(MAX_COUNT, QueryValues.number("count", count, DEFAULT_COUNT)));
        List<String> ids = new ArrayList<>(QueryValues.all(messageId));
        ids.addAll(QueryValues.all(messageIds));
        EventFilter filter = new EventFilter(states(states), ids, QueryValues.all(urls), QueryValues.all(labels),
                QueryValues.all(keys), QueryValues.epochMillis("fromDate", fromDate),
                QueryValues.epochMillis("toDate", toDate));
        List<MessageEvent> events = log.page(filter, offset, size);
        JsonArrayBuilder array = Json.createArrayBuilder();
        events.forEach(event -> array.add(json(event)));
        JsonObjectBuilder answer = Json.createObjectBuilder().add(key, array);
        if (events.size() == size) {
            answer.add("cursor", Integer.toString(offset + size));
        }
        return answer.build().toString();
    }

    /** The SDK spells the cancelled state CANCELED; IN_PROGRESS means ACTIVE, RETRY or ERROR. */
    private static List<String> states(List<String> states) {
        return QueryValues.all(states).stream().map(state -> state.toUpperCase(Locale.ROOT))
                .flatMap(state -> switch (state) {
                    case "CANCELED" -> List.of("CANCELLED").stream();
                    case "IN_PROGRESS" -> List.of("ACTIVE", "RETRY", "ERROR").stream();
                    default -> List.of(state).stream();
                }).toList();
    }

    private static JsonObjectBuilder json(MessageEvent event) {
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("time", event.getTime())
                .add("state", event.getState())
                .add("messageId", event.getMessageId())
                .add("url", event.getUrl());
        if (event.getNextDeliveryTime() != null) {
            json.add("nextDeliveryTime", event.getNextDeliveryTime());
        }
        if (event.getError() != null) {
            json.add("error", event.getError());
        }
        if (event.getResponseStatus() != null) {
            json.add("responseStatus", event.getResponseStatus());
        }
        if (event.getFlowKey() != null) {
            json.add("flowControlKey", event.getFlowKey());
        }
        if (event.getLabels() != null) {
            JsonArrayBuilder labels = Json.createArrayBuilder();
            Arrays.stream(event.getLabels().split(",")).forEach(labels::add);
            json.add("label", event.getLabels().split(",")[0]).add("labels", labels);
        }
        return json;
    }
}
