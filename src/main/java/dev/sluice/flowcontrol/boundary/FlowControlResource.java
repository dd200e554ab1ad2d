package dev.sluice.flowcontrol.boundary;

import dev.sluice.flowcontrol.control.Gatekeeper;
import dev.sluice.flowcontrol.control.KeySnapshot;
import dev.sluice.flowcontrol.control.OperatorActions;
import dev.sluice.flowcontrol.entity.FlowKey;
import dev.sluice.flowcontrol.entity.KeyEvent;
import dev.sluice.flowcontrol.entity.Period;
import dev.sluice.flowcontrol.entity.QueueLane;
import dev.sluice.platform.boundary.ErrorBody;
import dev.sluice.platform.entity.InvalidInput;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * QStash's flow-control management API ({@code /v2/flowControl}), plus why a key's head message waits, an
 * estimated drain time and an audit trail of operator actions.
 */
@Path("flowControl")
@Produces(MediaType.APPLICATION_JSON)
public class FlowControlResource {

    @Inject
    Gatekeeper gatekeeper;

    @Inject
    OperatorActions actions;

    @GET
    public String list(@QueryParam("search") String search) {
        List<KeySnapshot> keys = gatekeeper.inspect(engine -> engine.snapshots(blankToNull(search)));
        JsonArrayBuilder array = Json.createArrayBuilder();
        keys.stream().filter(key -> !QueueLane.isQueueLane(key.key()))
                .forEach(key -> array.add(FlowControlJson.of(key)));
        return array.build().toString();
    }

    @GET
    @Path("{key}")
    public Response get(@PathParam("key") String key) {
        return gatekeeper.inspect(engine -> engine.snapshot(key))
                .map(snapshot -> Response.ok(FlowControlJson.of(snapshot).toString()).build())
                .orElseGet(() -> ErrorBody.response(Response.Status.NOT_FOUND,
                        "flow-control key " + key + " not found"));
    }

    @POST
    @Path("{key}/pause")
    public Response pause(@PathParam("key") String key) {
        actions.pause(valid(key));
        return done();
    }

    @POST
    @Path("{key}/resume")
    public Response resume(@PathParam("key") String key) {
        actions.resume(valid(key));
        return done();
    }

    @POST
    @Path("{key}/pin")
    public Response pin(@PathParam("key") String key, @QueryParam("parallelism") String parallelism,
                        @QueryParam("rate") String rate, @QueryParam("period") String period) {
        Integer pinnedParallelism = positive("parallelism", parallelism);
        Integer pinnedRate = positive("rate", rate);
        if (pinnedParallelism == null && pinnedRate == null) {
            throw new InvalidInput("pin needs parallelism and/or rate");
        }
        if (period != null && !period.isBlank() && pinnedRate == null) {
            throw new InvalidInput("period is only meaningful with rate");
        }
        Period pinnedPeriod = period == null || period.isBlank() ? null : Period.parse(period.trim());
        actions.pin(valid(key), pinnedParallelism, pinnedRate, pinnedPeriod);
        return done();
    }

    @POST
    @Path("{key}/unpin")
    public Response unpin(@PathParam("key") String key, @QueryParam("parallelism") String parallelism,
                          @QueryParam("rate") String rate) {
        actions.unpin(valid(key), flag("parallelism", parallelism), flag("rate", rate));
        return done();
    }

    @POST
    @Path("{key}/resetRate")
    public Response resetRate(@PathParam("key") String key) {
        actions.resetRate(valid(key));
        return done();
    }

    /** Older SDKs' "reset the counters": the rate window restarts now, so queued messages can go at once. */
    @POST
    @Path("{key}/reset")
    public Response reset(@PathParam("key") String key) {
        actions.reset(valid(key));
        return done();
    }

    @GET
    @Path("{key}/events")
    public String events(@PathParam("key") String key) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (KeyEvent event : actions.events(valid(key))) {
            array.add(Json.createObjectBuilder()
                    .add("time", event.getTime())
                    .add("action", event.getAction())
                    .add("before", event.getBefore())
                    .add("after", event.getAfter()));
        }
        return array.build().toString();
    }

    private static String valid(String key) {
        return new FlowKey(key).value();
    }

    private static Response done() {
        return Response.ok("{}").build();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static Integer positive(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new InvalidInput(name + " must be a positive integer, got \"" + value + "\"");
    }

    private static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new InvalidInput(name + " must be true or false, got \"" + value + "\"");
        }
        return Boolean.parseBoolean(value);
    }

}
