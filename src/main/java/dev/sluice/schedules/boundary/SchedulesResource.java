package dev.sluice.schedules.boundary;

import dev.sluice.platform.boundary.ErrorBody;
import dev.sluice.platform.entity.PlainName;
import dev.sluice.publish.boundary.RawRequest;
import dev.sluice.publish.control.DraftReader;
import dev.sluice.publish.control.Fanout;
import dev.sluice.publish.control.PublishLimits;
import dev.sluice.publish.entity.MessageDraft;
import dev.sluice.publish.entity.RequestHeaders;
import dev.sluice.messages.entity.HeaderMap;
import dev.sluice.schedules.control.ScheduleCatalog;
import dev.sluice.schedules.entity.Cron;
import dev.sluice.schedules.entity.Schedule;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * QStash's schedules ({@code /v2/schedules}): create with {@code Upstash-Cron} (upsert by
 * {@code Upstash-Schedule-Id}), list, get, delete, pause and resume ({@code PATCH} as the SDK sends, or
 * {@code POST} as the docs say).
 */
@Path("schedules")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class SchedulesResource {

    private static final String PREFIX = "/v2/schedules/";
    /** headers of the create request that are about the schedule itself, not its messages */
    private static final Set<String> OWN = Set.of("upstash-cron", "upstash-schedule-id");

    @Inject
    ScheduleCatalog schedules;

    @Inject
    DraftReader reader;

    @Inject
    PublishLimits limits;

    @Context
    HttpServletRequest request;

    @Context
    HttpHeaders headers;

    @POST
    @Path("{destination: .+}")
    @Consumes(MediaType.WILDCARD)
    public String create(InputStream body) {
        RequestHeaders given = new RequestHeaders(headers.getRequestHeaders());
        Cron cron = Cron.parse(given.first("Upstash-Cron").orElse(null));
        String id = given.first("Upstash-Schedule-Id").map(value -> PlainName.check(value, "Upstash-Schedule-Id"))
                .orElse(null);
        String destination = RawRequest.destination(request, PREFIX);
        byte[] bytes = RawRequest.body(body, limits.maxBodyBytes());
        Map<String, List<String>> stored = messageHeaders(given);
        // the request must read as a publish now, so that every firing can publish it
        read(destination, stored, bytes);
        Schedule schedule = schedules.upsert(id, cron, destination, stored, bytes, request.getRemoteAddr());
        return Json.createObjectBuilder().add("scheduleId", schedule.getId()).build().toString();
    }

    @GET
    public String list() {
        JsonArrayBuilder array = Json.createArrayBuilder();
        schedules.list().forEach(schedule -> array.add(ScheduleJson.of(schedule, draftOf(schedule))));
        return array.build().toString();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return schedules.find(id)
                .map(schedule -> Response.ok(ScheduleJson.of(schedule, draftOf(schedule)).build().toString()).build())
                .orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return schedules.delete(id) ? Response.ok("{}").build() : notFound(id);
    }

    @PATCH
    @Path("{id}/pause")
    public Response pause(@PathParam("id") String id) {
        return schedules.pause(id, true) ? Response.ok("{}").build() : notFound(id);
    }

    @POST
    @Path("{id}/pause")
    public Response pausePost(@PathParam("id") String id) {
        return pause(id);
    }

    @PATCH
    @Path("{id}/resume")
    public Response resume(@PathParam("id") String id) {
        return schedules.pause(id, false) ? Response.ok("{}").build() : notFound(id);
    }

    @POST
    @Path("{id}/resume")
    public Response resumePost(@PathParam("id") String id) {
        return resume(id);
    }

    /** The configuration headers its messages are published with: Upstash-* (but telemetry) and Content-Type. */
    static Map<String, List<String>> messageHeaders(RequestHeaders given) {
        Map<String, List<String>> kept = new LinkedHashMap<>();
        given.all().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.startsWith("upstash-") && !lower.startsWith("upstash-telemetry-") && !OWN.contains(lower))
                    || lower.equals("content-type")) {
                kept.put(name, values);
            }
        });
        return kept;
    }

    /** How the schedule's messages are configured (for a URL group: as for any endpoint). */
    private MessageDraft read(String destination, Map<String, List<String>> stored, byte[] body) {
        String url = Fanout.isUrl(destination) ? destination
                : "https://" + PlainName.check(destination, "destination (a URL or a URL group name)") + ".invalid/";
        return reader.read(url, new RequestHeaders(stored), body, System.currentTimeMillis(),
                request.getRemoteAddr());
    }

    private MessageDraft draftOf(Schedule schedule) {
        return read(schedule.getDestination(), HeaderMap.fromJson(schedule.getHeaders()), schedule.getBody());
    }

    private static Response notFound(String id) {
        return ErrorBody.response(Response.Status.NOT_FOUND, "schedule " + id + " not found");
    }
}
