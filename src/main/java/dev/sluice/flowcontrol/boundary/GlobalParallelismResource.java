package dev.sluice.flowcontrol.boundary;

import dev.sluice.flowcontrol.control.Gatekeeper;
import dev.sluice.flowcontrol.control.GlobalSnapshot;
import jakarta.inject.Inject;
import dev.sluice.platform.entity.Json;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v2/globalParallelism}: the server-wide cap on deliveries in flight and the current count. */
@Path("globalParallelism")
@Produces(MediaType.APPLICATION_JSON)
public class GlobalParallelismResource {

    @Inject
    Gatekeeper gatekeeper;

    @GET
    public String get() {
        GlobalSnapshot global = gatekeeper.inspect(engine -> engine.global());
        return Json.createObjectBuilder()
                .add("parallelismMax", global.parallelismMax())
                .add("parallelismCount", global.parallelismCount())
                .build().toString();
    }
}
