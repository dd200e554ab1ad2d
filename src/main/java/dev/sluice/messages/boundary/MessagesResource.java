package dev.sluice.messages.boundary;

import dev.sluice.messages.control.MessageFilter;
import dev.sluice.messages.control.Messages;
import dev.sluice.platform.boundary.ErrorBody;
import dev.sluice.platform.boundary.QueryValues;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** {@code GET /v2/messages/{id}}, {@code DELETE /v2/messages/{id}} and bulk {@code DELETE /v2/messages}. */
@Path("messages")
@Produces(MediaType.APPLICATION_JSON)
public class MessagesResource {

    @Inject
    Messages messages;

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return messages.find(id)
                .map(message -> Response.ok(MessageJson.of(message).build().toString()).build())
                .orElseGet(() -> ErrorBody.response(Response.Status.NOT_FOUND, "message " + id + " not found"));
    }

    @DELETE
    @Path("{id}")
    public Response cancel(@PathParam("id") String id) {
        if (!messages.exists(id)) {
            return ErrorBody.response(Response.Status.NOT_FOUND, "message " + id + " not found");
        }
        return cancelled(messages.cancel(id) ? 1 : 0);
    }

    /** QStash: ids, or filters, or nothing at all (= every pending message). */
    @DELETE
    public Response cancelMany(@QueryParam("messageIds") List<String> ids,
                               @QueryParam("flowControlKey") List<String> keys,
                               @QueryParam("url") List<String> urls,
                               @QueryParam("label") List<String> labels,
                               @QueryParam("queueName") List<String> queueNames,
                               @QueryParam("topicName") List<String> topicNames,
                               @QueryParam("scheduleId") List<String> scheduleIds,
                               @QueryParam("fromDate") String fromDate,
                               @QueryParam("toDate") String toDate) {
        if (!ids.isEmpty()) {
            return cancelled(messages.cancel(QueryValues.all(ids)));
        }
        return cancelled(messages.cancelMatching(new MessageFilter(QueryValues.all(keys), QueryValues.all(urls),
                QueryValues.all(labels), QueryValues.epochMillis("fromDate", fromDate),
                QueryValues.epochMillis("toDate", toDate))
                .withGroups(QueryValues.all(queueNames), QueryValues.all(topicNames),
                        QueryValues.all(scheduleIds))));
    }

    private static Response cancelled(int count) {
        return Response.accepted(Json.createObjectBuilder().add("cancelled", count).build().toString()).build();
    }
}
