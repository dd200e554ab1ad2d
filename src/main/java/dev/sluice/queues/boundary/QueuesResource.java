package dev.sluice.queues.boundary;

import dev.sluice.platform.boundary.ErrorBody;
import dev.sluice.platform.entity.InvalidInput;
import dev.sluice.queues.control.QueueCatalog;
import dev.sluice.queues.entity.Queue;
import dev.sluice.queues.entity.QueueName;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;

/** QStash's queues ({@code /v2/queues}): upsert, list, get (with {@code lag}), delete, pause, resume. */
@Path("queues")
@Produces(MediaType.APPLICATION_JSON)
public class QueuesResource {

    static final int MAX_PARALLELISM = 1000;

    @Inject
    QueueCatalog queues;

    /** {@code {"queueName": "...", "parallelism": n (default 1), "paused": bool (default false)}} */
    @POST
    @Consumes(MediaType.WILDCARD)
    public String upsert(String body) {
        JsonObject request = object(body);
        String name = new QueueName(string(request, "queueName")).value();
        int parallelism = parallelism(request.get("parallelism"));
        boolean paused = paused(request.get("paused"));
        return json(queues.upsert(name, parallelism, paused)).build().toString();
    }

    @GET
    public String list() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        queues.list().forEach(queue -> array.add(json(queue)));
        return array.build().toString();
    }

    @GET
    @Path("{name}")
    public Response get(@PathParam("name") String name) {
        return queues.find(name).map(queue -> Response.ok(json(queue).build().toString()).build())
                .orElseGet(() -> notFound(name));
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("name") String name) {
        return queues.delete(name) ? Response.ok("{}").build() : notFound(name);
    }

    @POST
    @Path("{name}/pause")
    public Response pause(@PathParam("name") String name) {
        return queues.pause(name, true) ? Response.ok("{}").build() : notFound(name);
    }

    @POST
    @Path("{name}/resume")
    public Response resume(@PathParam("name") String name) {
        return queues.pause(name, false) ? Response.ok("{}").build() : notFound(name);
    }

    private JsonObjectBuilder json(Queue queue) {
        return Json.createObjectBuilder()
                .add("name", queue.getName())
                .add("parallelism", queue.getParallelism())
                .add("paused", queue.isPaused())
                .add("lag", queues.lag(queue.getName()))
                .add("createdAt", queue.getCreatedAt())
                .add("updatedAt", queue.getUpdatedAt());
    }

    private static Response notFound(String name) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "queue " + name + " not found");
    }

    private static JsonObject object(String body) {
        try (var reader = Json.createReader(new StringReader(body == null ? "" : body))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new InvalidInput("expected a JSON object {\"queueName\", \"parallelism\", \"paused\"}");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new InvalidInput("expected a JSON object {\"queueName\", \"parallelism\", \"paused\"}: "
                    + e.getMessage());
        }
    }

    private static String string(JsonObject request, String field) {
        JsonValue value = request.get(field);
        if (value == null || value.getValueType() != JsonValue.ValueType.STRING) {
            throw new InvalidInput(field + " must be a string");
        }
        return request.getString(field);
    }

    static int parallelism(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Queue.DEFAULT_PARALLELISM;
        }
        if (value.getValueType() == JsonValue.ValueType.NUMBER && ((JsonNumber) value).isIntegral()) {
            long parallelism = ((JsonNumber) value).longValue();
            if (parallelism >= 1 && parallelism <= MAX_PARALLELISM) {
                return (int) parallelism;
            }
        }
        throw new InvalidInput("parallelism must be an integer from 1 to " + MAX_PARALLELISM + ", got " + value);
    }

    static boolean paused(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return false;
        }
        if (value.getValueType() == JsonValue.ValueType.TRUE || value.getValueType() == JsonValue.ValueType.FALSE) {
            return value.getValueType() == JsonValue.ValueType.TRUE;
        }
        throw new InvalidInput("paused must be true or false, got " + value);
    }
}
