package dev.sluice.dlq.boundary;

import dev.sluice.dlq.control.DeadLetters;
import dev.sluice.messages.boundary.MessageJson;
import dev.sluice.messages.entity.Message;
import dev.sluice.platform.boundary.ErrorBody;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** The dead-letter queue: {@code GET /v2/dlq}, {@code DELETE /v2/dlq/{dlqId}}, {@code POST /v2/dlq/retry}. */
@Path("dlq")
@Produces(MediaType.APPLICATION_JSON)
public class DlqResource {

    @Inject
    DeadLetters deadLetters;

    @GET
    public String list(@BeanParam DlqQuery query) {
        List<String> ids = query.ids();
        int offset = query.offset();
        int size = query.size();
        List<Message> page = ids.isEmpty() ? deadLetters.matching(query.filter(), offset, size)
                : deadLetters.byIds(ids);
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

    /** By ids, or up to {@code count} entries matching the filters (none = all); a cursor says more remain. */
    @DELETE
    public String deleteMany(@BeanParam DlqQuery query) {
        List<String> ids = selected(query);
        JsonObjectBuilder answer = Json.createObjectBuilder().add("deleted", deadLetters.delete(ids));
        moreRemain(query, answer);
        return answer.build().toString();
    }

    @POST
    @Path("retry")
    public Response retry(@BeanParam DlqQuery query) {
        JsonArrayBuilder responses = Json.createArrayBuilder();
        deadLetters.retry(selected(query))
                .forEach(id -> responses.add(Json.createObjectBuilder().add("messageId", id)));
        JsonObjectBuilder answer = Json.createObjectBuilder().add("responses", responses);
        moreRemain(query, answer);
        return Response.status(Response.Status.CREATED).entity(answer.build().toString()).build();
    }

    private List<String> selected(DlqQuery query) {
        List<String> ids = query.ids();
        return !ids.isEmpty() ? ids : deadLetters.matching(query.filter(), 0, query.size()).stream()
                .map(Message::getDlqId).toList();
    }

    /** Handled entries leave the DLQ, so the next call starts from the beginning again. */
    private void moreRemain(DlqQuery query, JsonObjectBuilder answer) {
        if (query.ids().isEmpty() && !deadLetters.matching(query.filter(), 0, 1).isEmpty()) {
            answer.add("cursor", "0");
        }
    }

    @POST
    @Path("retry/{dlqId}")
    public Response retryOne(@PathParam("dlqId") String dlqId) {
        JsonArrayBuilder responses = Json.createArrayBuilder();
        deadLetters.retry(List.of(dlqId)).forEach(id -> responses.add(Json.createObjectBuilder().add("messageId", id)));
        return Response.status(Response.Status.CREATED)
                .entity(Json.createObjectBuilder().add("responses", responses).build().toString()).build();
    }
}
