package dev.sluice.dlq.boundary;

import dev.sluice.dlq.control.DeadLetters;
import dev.sluice.messages.boundary.MessageJson;
import dev.sluice.messages.entity.Message;
import dev.sluice.platform.boundary.ErrorBody;
import dev.sluice.platform.entity.InvalidInput;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

/** The dead-letter queue: {@code GET /v2/dlq}, {@code DELETE /v2/dlq/{dlqId}}, {@code POST /v2/dlq/retry}. */
@Path("dlq")
@Produces(MediaType.APPLICATION_JSON)
public class DlqResource {

    private static final int MAX_COUNT = 100;

    @Inject
    DeadLetters deadLetters;

    @GET
    public String list(@QueryParam("cursor") String cursor, @QueryParam("count") String count,
                       @QueryParam("dlqIds") List<String> dlqIds) {
        List<String> ids = split(dlqIds);
        int offset = number("cursor", cursor, 0);
        int size = Math.min(MAX_COUNT, number("count", count, MAX_COUNT));
        List<Message> page = ids.isEmpty() ? deadLetters.page(offset, size) : deadLetters.byIds(ids);
        JsonArrayBuilder messages = Json.createArrayBuilder();
        page.forEach(message -> messages.add(MessageJson.withResponse(message)));
        JsonObjectBuilder answer = Json.createObjectBuilder().add("messages", messages);
        if (ids.isEmpty() && page.size() == size) {
            answer.add("cursor", Integer.toString(offset + size));
        }
        return answer.build().toString();
    }

    @DELETE
    @Path("{dlqId}")
    public Response delete(@PathParam("dlqId") String dlqId) {
        if (deadLetters.delete(List.of(dlqId)) == 0) {
            return ErrorBody.response(Response.Status.NOT_FOUND, "DLQ entry " + dlqId + " not found");
        }
        return Response.ok(Json.createObjectBuilder().add("deleted", 1).build().toString()).build();
    }

    @DELETE
    public String deleteMany(@QueryParam("dlqIds") List<String> dlqIds) {
        return Json.createObjectBuilder().add("deleted", deadLetters.delete(split(dlqIds))).build().toString();
    }

    @POST
    @Path("retry")
    public Response retry(@QueryParam("dlqIds") List<String> dlqIds) {
        JsonArrayBuilder responses = Json.createArrayBuilder();
        deadLetters.retry(split(dlqIds)).forEach(id -> responses.add(Json.createObjectBuilder().add("messageId", id)));
        return Response.status(Response.Status.CREATED)
                .entity(Json.createObjectBuilder().add("responses", responses).build().toString()).build();
    }

    @POST
    @Path("retry/{dlqId}")
    public Response retryOne(@PathParam("dlqId") String dlqId) {
        return retry(List.of(dlqId));
    }

    private static List<String> split(List<String> values) {
        return values.stream().flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim).filter(value -> !value.isEmpty()).toList();
    }

    private static int number(String name, String value, int fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInput(name + ": expected a non-negative integer, got \"" + value + "\"");
    }
}
