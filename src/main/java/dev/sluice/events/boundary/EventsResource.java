package dev.sluice.events.boundary;

import dev.sluice.events.control.EventLog;
import dev.sluice.events.entity.MessageEvent;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

/**
 * Message logs: {@code GET /v2/events} (what the SDK's {@code logs} calls, key {@code events}) and the documented
 * {@code GET /v2/logs} (key {@code logs}). Newest first, {@code count} at most 1000, {@code cursor} pages on.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    @Inject
    EventLog log;

    @GET
    @Path("events")
    @Transactional
    public String events(@BeanParam EventsQuery query) {
        return page("events", query);
    }

    @GET
    @Path("logs")
    @Transactional
    public String logs(@BeanParam EventsQuery query) {
        return page("logs", query);
    }

    private String page(String key, EventsQuery query) {
        int offset = query.offset();
        int size = query.size();
        List<MessageEvent> events = log.page(query.filter(), offset, size);
        JsonArrayBuilder array = Json.createArrayBuilder();
        events.forEach(event -> array.add(json(event)));
        JsonObjectBuilder answer = Json.createObjectBuilder().add(key, array);
        if (events.size() == size) {
            answer.add("cursor", Integer.toString(offset + size));
        }
        return answer.build().toString();
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
        if (event.getQueueName() != null) {
            json.add("queueName", event.getQueueName());
        }
        if (event.getTopicName() != null) {
            json.add("topicName", event.getTopicName());
        }
        if (event.getScheduleId() != null) {
            json.add("scheduleId", event.getScheduleId());
        }
        if (event.getLabels() != null) {
            JsonArrayBuilder labels = Json.createArrayBuilder();
            Arrays.stream(event.getLabels().split(",")).forEach(labels::add);
            json.add("label", event.getLabels().split(",")[0]).add("labels", labels);
        }
        return json;
    }
}
