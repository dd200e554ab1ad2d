package dev.sluice.publish.boundary;

import jakarta.json.spi.JsonProvider;
import dev.sluice.platform.control.Instruments;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.publish.control.DraftReader;
import dev.sluice.publish.control.Intake;
import dev.sluice.publish.control.PublishLimits;
import dev.sluice.publish.control.Publisher;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import jakarta.enterprise.context.RequestScoped;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /v2/publish/{destination}} and {@code POST /v2/batch}. */
@Path("")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PublishResource {

    /** {@code Json.createX} looks the provider up on every call, scanning the class path: look it up once. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final String PUBLISH = "/v2/publish/";

    @Inject
    DraftReader reader;

    @Inject
    PublishLimits limits;

    @Inject
    Intake intake;

    @Inject
    Instruments instruments;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @POST
    @Path("publish/{destination: .+}")
    @Consumes(MediaType.WILDCARD)
    public String publish(InputStream body) {
        MessageDraft draft = reader.read(rawDestination(), new RequestHeaders(headers.getRequestHeaders()),
                readBody(body), System.currentTimeMillis(), request.getRemoteAddr());
        Publisher.Accepted accepted = intake.accept(List.of(draft)).get(0);
        instruments.published(accepted.deduplicated() ? 0 : 1);
        return answer(accepted).toString();
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.WILDCARD)
    public String batch(InputStream body) {
        JsonArray entries = batchEntries(readBatch(body));
        long now = System.currentTimeMillis();
        List<MessageDraft> drafts = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            drafts.add(draft(entries, i, now));
        }
        JsonArrayBuilder answer = JSON.createArrayBuilder();
        List<Publisher.Accepted> accepted = intake.accept(drafts);
        accepted.forEach(entry -> answer.add(answer(entry)));
        instruments.published((int) accepted.stream().filter(entry -> !entry.deduplicated()).count());
        return answer.build().toString();
    }

    /**
     * The destination exactly as the client wrote it: clients put the URL unencoded into the path, and its query
     * string arrives as the request's query string.
     */
    private String rawDestination() {
        String uri = request.getRequestURI();
        int start = uri.indexOf(PUBLISH);
        String destination = start < 0 ? "" : uri.substring(start + PUBLISH.length());
        String query = withoutToken(request.getQueryString());
        return query.isEmpty() ? destination : destination + "?" + query;
    }

    private static String withoutToken(String query) {
        if (query == null) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String part : query.split("&")) {
            if (!part.startsWith("qstash_token=")) {
                kept.add(part);
            }
        }
        return String.join("&", kept);
    }

    private byte[] readBody(InputStream body) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limits.maxBodyBytes() + 1));
            if (bytes.length > limits.maxBodyBytes()) {
                throw new InvalidInput("body is larger than the maximum of " + limits.maxBodyBytes() + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidInput("could not read the request body: " + e.getMessage());
        }
    }

    private JsonValue readBatch(InputStream body) {
        byte[] bytes = readBody(body);
        try (var json = JSON.createReader(new ByteArrayInputStream(bytes))) {
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

    private MessageDraft draft(JsonArray entries, int index, long now) {
        try {
            JsonObject entry = entries.getJsonObject(index);
            if (entry.containsKey("queue")) {
                throw new InvalidInput("queues are not supported");
            }
            JsonValue body = entry.get("body");
            byte[] bytes = body == null || body.getValueType() == JsonValue.ValueType.NULL ? new byte[0]
                    : ((JsonString) body).getString().getBytes(StandardCharsets.UTF_8);
            return reader.read(entry.getString("destination", ""), entryHeaders(entry), bytes, now,
                    request.getRemoteAddr());
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

    private static JsonObject answer(Publisher.Accepted accepted) {
        return JSON.createObjectBuilder()
                .add("messageId", accepted.message().getId())
                .add("url", accepted.message().getDestination())
                .add("deduplicated", accepted.deduplicated())
                .build();
    }
}
