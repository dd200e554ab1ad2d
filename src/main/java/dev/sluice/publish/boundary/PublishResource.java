package dev.sluice.publish.boundary;

import dev.sluice.platform.entity.Json;
import dev.sluice.platform.control.Instruments;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.publish.control.Fanout;
import dev.sluice.publish.control.Intake;
import dev.sluice.publish.control.PublishLimits;
import dev.sluice.publish.control.Publisher;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.queues.entity.QueueName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v2/publish/{destination}} and {@code POST /v2/batch}. One instance serves all requests (the request is
 * passed to each method): creating and injecting a resource per request was an eighth of a publish's CPU.
 */
@Path("")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class PublishResource {

    private static final String PUBLISH = "/v2/publish/";
    private static final String ENQUEUE = "/v2/enqueue/";

    @Inject
    PublishLimits limits;

    @Inject
    Intake intake;

    @Inject
    Instruments instruments;

    @Inject
    Fanout fanout;

    @POST
    @Path("publish/{destination: .+}")
    @Consumes(MediaType.WILDCARD)
    public String publish(@Context HttpServletRequest request, @Context HttpHeaders headers, InputStream body) {
        RequestHeaders requestHeaders = new RequestHeaders(headers.getRequestHeaders());
        return accept(request, RawRequest.destination(request, PUBLISH), requestHeaders, readBody(body));
    }

    /** Like publish, into the queue (created with default settings if new). */
    @POST
    @Path("enqueue/{queue}/{destination: .+}")
    @Consumes(MediaType.WILDCARD)
    public String enqueue(@Context HttpServletRequest request, @Context HttpHeaders headers,
            @PathParam("queue") String queue, InputStream body) {
        String name = new QueueName(queue).value();
        RequestHeaders requestHeaders = new RequestHeaders(headers.getRequestHeaders());
        requestHeaders.all().put(Fanout.QUEUE_HEADER, List.of(name));
        return accept(request, RawRequest.destination(request, ENQUEUE + name + "/"), requestHeaders, readBody(body));
    }

    /** A URL destination answers one object, a URL group an array (one entry per endpoint). */
    private String accept(HttpServletRequest request, String destination, RequestHeaders requestHeaders,
            byte[] body) {
        List<MessageDraft> drafts = fanout.drafts(destination, requestHeaders, body, System.currentTimeMillis(),
                request.getRemoteAddr());
        List<Publisher.Accepted> accepted = intake.accept(drafts);
        instruments.published((int) accepted.stream().filter(entry -> !entry.deduplicated()).count());
        return Fanout.isUrl(destination) ? answer(accepted.get(0)).toString() : answers(accepted).build().toString();
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.WILDCARD)
    public String batch(@Context HttpServletRequest request, InputStream body) {
        JsonArray entries = batchEntries(readBatch(body));
        long now = System.currentTimeMillis();
        List<List<MessageDraft>> perEntry = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            perEntry.add(drafts(entries, i, now, request.getRemoteAddr()));
        }
        JsonArrayBuilder answer = Json.createArrayBuilder();
        List<Publisher.Accepted> accepted = intake.accept(perEntry.stream().flatMap(List::stream).toList());
        int next = 0;
        for (int i = 0; i < entries.size(); i++) {
            List<Publisher.Accepted> ofEntry = accepted.subList(next, next + perEntry.get(i).size());
            next += ofEntry.size();
            answer.add(Fanout.isUrl(entries.getJsonObject(i).getString("destination", ""))
                    ? answer(ofEntry.get(0)) : answers(ofEntry).build());
        }
        instruments.published((int) accepted.stream().filter(entry -> !entry.deduplicated()).count());
        return answer.build().toString();
    }

    private byte[] readBody(InputStream body) {
        return RawRequest.body(body, limits.maxBodyBytes());
    }

    private JsonValue readBatch(InputStream body) {
        byte[] bytes = readBody(body);
        try (var json = Json.createReader(new ByteArrayInputStream(bytes))) {
            return json.readValue();
        } catch (JsonException e) {
            throw new InvalidInput("batch body must be a JSON array of messages: " + e.getMessage());
        }
    }

    private static JsonArray batchEntries(JsonValue value) {
        if (value.getValueType() != JsonValue.ValueType.ARRAY || value.asJsonArray().isEmpty()) {
            throw new InvalidInput("batch body must be a non-empty JSON array of messages");
        }
        return value.asJsonArray();
    }

    private List<MessageDraft> drafts(JsonArray entries, int index, long now, String remoteAddress) {
        try {
            JsonObject entry = entries.getJsonObject(index);
            RequestHeaders entryHeaders = entryHeaders(entry);
            if (entry.containsKey("queue") && entry.get("queue").getValueType() != JsonValue.ValueType.NULL) {
                entryHeaders.all().put(Fanout.QUEUE_HEADER, List.of(new QueueName(entry.getString("queue")).value()));
            }
            JsonValue body = entry.get("body");
            byte[] bytes = body == null || body.getValueType() == JsonValue.ValueType.NULL ? new byte[0]
                    : ((JsonString) body).getString().getBytes(StandardCharsets.UTF_8);
            return fanout.drafts(entry.getString("destination", ""), entryHeaders, bytes, now, remoteAddress);
        } catch (InvalidInput e) {
            throw new InvalidInput("batch entry " + index + ": " + e.getMessage());
        } catch (ClassCastException | NullPointerException e) {
            throw new InvalidInput("batch entry " + index + ": expected {\"destination\": string, "
                    + "\"headers\": {name: string}, \"body\": string}");
        }
    }

    private static RequestHeaders entryHeaders(JsonObject entry) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        JsonObject object = entry.getJsonObject("headers");
        if (object != null) {
            object.forEach((name, value) -> headers.put(name, List.of(((JsonString) value).getString())));
        }
        return new RequestHeaders(headers);
    }

    private static JsonArrayBuilder answers(List<Publisher.Accepted> accepted) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        accepted.forEach(entry -> array.add(answer(entry)));
        return array;
    }

    private static JsonObject answer(Publisher.Accepted accepted) {
        return Json.createObjectBuilder()
                .add("messageId", accepted.message().getId())
                .add("url", accepted.message().getDestination())
                .add("deduplicated", accepted.deduplicated())
                .build();
    }
}
